package io.github.ncpsnapshotbridge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * NCP's API gateway and Server API, faked at the HTTP level. It checks every call the way the gateway does, with its
 * own HMAC code (not the bridge's): the three x-ncp headers, the timestamp within 5 minutes, a known access key, and
 * the v2 signature over the method and the request target exactly as received. A call that fails gets the gateway's
 * 401 JSON error. Otherwise it answers with what a test scripted for that volume, or with NCP's documented example,
 * echoing volume, name and description and numbering snapshots.
 */
public class NcpFake implements AutoCloseable {

    public static final String BASE_PATH = "/server/v2";
    public static final String VPC_BASE_PATH = "/vserver/v2";

    public record Call(Instant at, String method, String rawTarget, Map<String, String> headers, Map<String, String> params,
            boolean signatureValid) {

        /** The volume of a create, on either platform (VPC calls it originalBlockStorageInstanceNo). */
        public String volume() {
            return params.containsKey("blockStorageInstanceNo") ? params.get("blockStorageInstanceNo")
                    : isCreate() ? params.get("originalBlockStorageInstanceNo") : null;
        }

        public boolean vpc() {
            return rawTarget.startsWith(VPC_BASE_PATH + "/");
        }

        public boolean isCreate() {
            return rawTarget.contains("/createBlockStorageSnapshotInstance");
        }

        /** A status poll: a list asked by snapshot numbers. */
        public boolean isStatusPoll() {
            return rawTarget.contains("/getBlockStorageSnapshotInstanceList")
                    && params.containsKey("blockStorageSnapshotInstanceNoList.1");
        }

        /** The snapshot numbers a status poll asks for. */
        public List<String> polledSnapshots() {
            return params.entrySet().stream().filter(e -> e.getKey().startsWith("blockStorageSnapshotInstanceNoList."))
                    .map(Map.Entry::getValue).toList();
        }
    }

    /**
     * A scripted answer to a create call. {@code makes}: NCP makes the snapshot (then a null body is NCP's success
     * answer for it), whether or not the caller hears the answer.
     */
    public record Reply(int status, String contentType, String body, Duration delay, Map<String, String> headers,
            boolean makes) {

        public Reply(int status, String contentType, String body, Duration delay) {
            this(status, contentType, body, delay, Map.of(), status == 200 && body != null
                    && body.contains("<returnCode>0</returnCode>"));
        }

        /** NCP makes the snapshot and answers with it, as by default. */
        public static Reply created() {
            return new Reply(200, "application/xml;charset=UTF-8", null, Duration.ZERO, Map.of(), true);
        }

        /** NCP makes the snapshot, then its gateway answers this (a 500 or 502, say) instead of the success. */
        public Reply butMade() {
            return new Reply(status, contentType, body, delay, headers, true);
        }

        /** A hostile or broken answer (from a proxy, say): NCP made nothing, whatever the body claims. */
        public Reply notMade() {
            return new Reply(status, contentType, body, delay, headers, false);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, delay, more, makes);
        }

        public static Reply xml(int status, String body) {
            return new Reply(status, "application/xml;charset=UTF-8", body, Duration.ZERO);
        }

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json;charset=UTF-8", body, Duration.ZERO);
        }

        public Reply after(Duration delay) {
            return new Reply(status, contentType, body, delay, headers, makes);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Map<String, String> secretsByAccessKey = new ConcurrentHashMap<>();
    private final Map<String, Deque<Reply>> scripted = new ConcurrentHashMap<>();
    // appended to on every call: a copy-on-write list would copy itself each time, and a long benchmark run would
    // slow the fake down as it goes
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicLong snapshotNumbers = new AtomicLong(5_000_000);
    /** A snapshot NCP holds. {@code seeded}: there before the test (last night's, say); {@code listedFrom}: when
     * NCP's list starts to show it; {@code vpc}: made through the VPC API (which lists it), with its type and region. */
    public record Snapshot(String number, String volume, String name, String description, Instant listedFrom,
            boolean seeded, boolean vpc, String type, String region) {

        public Snapshot(String number, String volume, String name, String description, Instant listedFrom,
                boolean seeded) {
            this(number, volume, name, description, listedFrom, seeded, false, null, null);
        }
    }

    /** Status set by a test (TERMT, say), by snapshot number; otherwise INIT until polled often enough, then CREAT. */
    private final Map<String, String> statusOverrides = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> polls = new ConcurrentHashMap<>();
    private volatile int readyAfterPolls = 1;
    private final java.util.Set<String> gone = ConcurrentHashMap.newKeySet();

    /** The snapshots NCP holds, in the order they were made. */
    private final Queue<Snapshot> snapshots = new ConcurrentLinkedQueue<>();
    private volatile Duration listLag = Duration.ZERO;
    private volatile Duration answerDelay = Duration.ZERO;
    private final java.util.Set<String> listsRefused = ConcurrentHashMap.newKeySet();
    private volatile int maxPageSize = 100;
    private final String exampleAnswer;

    public NcpFake() throws IOException {
        try (InputStream in = NcpFake.class.getResourceAsStream("/ncp/create-snapshot-example.xml")) {
            exampleAnswer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~40 ms per answer
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A volume number no other test uses, so the fake's calls can be told apart by volume. */
    public static String randomVolume() {
        return Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    public String vpcBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + VPC_BASE_PATH;
    }

    /** A new snapshot turns CREAT once this many status polls asked for it (INIT until then). */
    public void readyAfterPolls(int polls) {
        this.readyAfterPolls = polls;
    }

    /** From now on NCP lists this snapshot with this status ({@code TERMT}, {@code NAVAI}, {@code CREAT}…). */
    public void setStatus(String number, String code) {
        statusOverrides.put(number, code);
    }

    /** NCP no longer lists this snapshot (deleted by someone). */
    public void delete(String number) {
        gone.add(number);
    }

    /** The status NCP gives a snapshot now. */
    public String statusOf(String number) {
        String override = statusOverrides.get(number);
        if (override != null) {
            return override;
        }
        java.util.concurrent.atomic.AtomicInteger n = polls.get(number);
        return n != null && n.get() >= readyAfterPolls ? "CREAT" : "INIT";
    }

    /** Every snapshot NCP holds, seeded or made, on either platform. */
    public List<Snapshot> allSnapshots() {
        return List.copyOf(snapshots);
    }

    /** Status polls answered so far (list calls by snapshot number). */
    public List<Call> statusPolls() {
        return calls.stream().filter(Call::isStatusPoll).toList();
    }

    public static String exampleAnswer() throws IOException {
        try (InputStream in = NcpFake.class.getResourceAsStream("/ncp/create-snapshot-example.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private volatile java.nio.file.Path credentialsDir;
    private volatile Instant outageUntil = Instant.MIN;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();

    /** For {@code duration}, every call is answered 503, as when NCP is down. */
    public void outage(Duration duration) {
        outageUntil = Instant.now().plus(duration);
    }

    /** The most calls the fake was answering at the same time. */
    public int maxConcurrentCalls() {
        return maxInFlight.get();
    }

    /** The folder the bridge reads its non-default accounts from, so a test can rotate keys. */
    public java.nio.file.Path credentialsDir() {
        return credentialsDir;
    }

    void credentialsDir(java.nio.file.Path dir) {
        this.credentialsDir = dir;
    }

    /**
     * Forgets the calls answered and the snapshots made so far, as if NCP were new: for a load benchmark, whose hundreds
     * of thousands of calls would otherwise fill the heap of the JVM it shares with the brokers and the load driver, and
     * slow the later rounds down with garbage collection.
     */
    public void forget() {
        calls.clear();
        snapshots.clear();
        polls.clear();
    }

    public void account(String accessKey, String secretKey) {
        secretsByAccessKey.put(accessKey, secretKey);
    }

    /** The next calls for {@code volume} get these replies, in order; after them, the default success. */
    public void script(String volume, Reply... replies) {
        scripted.computeIfAbsent(volume, v -> new ArrayDeque<>()).addAll(List.of(replies));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** An older snapshot of {@code volume} that NCP holds already (same name as tonight's, say). */
    public Snapshot seedSnapshot(String volume, String name, String description) {
        Snapshot old = new Snapshot(Long.toString(snapshotNumbers.incrementAndGet()), canonical(volume), name,
                description, Instant.EPOCH, true);
        snapshots.add(old);
        return old;
    }

    /** From now on, a new snapshot shows in NCP's list only this long after it was made. */
    public void listLag(Duration lag) {
        this.listLag = lag;
    }

    /** Every create is answered this much later (the snapshot is made at once): crashes land in between. */
    public void answerDelay(Duration delay) {
        this.answerDelay = delay;
    }

    /** Look-ups of {@code volume}'s snapshots are refused (403), as for a key without permission to list. */
    public void refuseListsFor(String volume) {
        listsRefused.add(canonical(volume));
    }

    /** Lists {@code volume}'s snapshots again. */
    public void allowListsFor(String volume) {
        listsRefused.remove(canonical(volume));
    }

    /** The most snapshots NCP puts on one page of its list, whatever pageSize asks for. */
    public void maxPageSize(int size) {
        this.maxPageSize = size;
    }

    /** What NCP holds for {@code volume} now, listed or not yet. */
    public List<Snapshot> snapshotsOf(String volume) {
        String v = canonical(volume);
        return snapshots.stream().filter(s -> s.volume().equals(v)).toList();
    }

    /** The snapshots made during the test (not seeded) for {@code volume}. */
    public List<Snapshot> newSnapshotsOf(String volume) {
        return snapshotsOf(volume).stream().filter(s -> !s.seeded()).toList();
    }

    private static String canonical(String volume) {
        try {
            return new java.math.BigInteger(volume.trim()).toString();
        } catch (RuntimeException e) {
            return volume;
        }
    }

    public List<Call> callsFor(String volume) {
        return calls.stream().filter(c -> volume.equals(c.volume())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            // getRequestURI() is built from the request line: its raw forms are the bytes on the wire
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String rawTarget = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            Map<String, String> params = decode(rawQuery);
            boolean valid = signatureValid(exchange.getRequestMethod(), rawTarget, headers);
            calls.add(new Call(Instant.now(), exchange.getRequestMethod(), rawTarget, headers, params, valid));

            Reply reply;
            if (valid && Instant.now().isBefore(outageUntil)) {
                reply = Reply.json(503, "{\"error\":{\"errorCode\":\"503\",\"message\":\"Service Unavailable\"}}");
            } else if (!valid) {
                reply = Reply.json(401, "{\"error\":{\"errorCode\":\"200\",\"message\":\"Authentication Failed\","
                        + "\"details\":\"Invalid authentication information.\"}}");
            } else if (rawPath.equals(BASE_PATH + "/getBlockStorageSnapshotInstanceList")
                    || rawPath.equals(VPC_BASE_PATH + "/getBlockStorageSnapshotInstanceList")) {
                boolean vpc = rawPath.startsWith(VPC_BASE_PATH);
                String listed = params.get("originalBlockStorageInstanceNoList.1");
                reply = listed != null && listsRefused.contains(canonical(listed))
                        ? Reply.json(403, "{\"error\":{\"errorCode\":\"210\",\"message\":\"Permission Denied\"}}")
                        : Reply.xml(200, list(params, vpc));
            } else if (rawPath.equals(VPC_BASE_PATH + "/createBlockStorageSnapshotInstance")
                    && (params.get("originalBlockStorageInstanceNo") == null || params.get("regionCode") == null)) {
                reply = Reply.xml(400, "<responseError><returnCode>24</returnCode><returnMessage>originalBlockStorage"
                        + "InstanceNo and regionCode are required parameters.</returnMessage></responseError>");
            } else if (!rawPath.equals(BASE_PATH + "/createBlockStorageSnapshotInstance")
                    && !rawPath.equals(VPC_BASE_PATH + "/createBlockStorageSnapshotInstance")) {
                reply = Reply.json(404, "{\"error\":{\"errorCode\":\"300\",\"message\":\"Not Found Exception\"}}");
            } else {
                boolean vpc = rawPath.startsWith(VPC_BASE_PATH);
                String volume = vpc ? params.get("originalBlockStorageInstanceNo") : params.get("blockStorageInstanceNo");
                Deque<Reply> queue = volume == null ? null : scripted.get(volume);
                Reply next = queue == null ? null : queue.pollFirst();
                reply = next != null ? next : Reply.created().after(answerDelay);
                if (reply.makes()) {
                    // NCP has the snapshot from now on, whether or not the caller hears the answer
                    Snapshot made = new Snapshot(Long.toString(snapshotNumbers.incrementAndGet()),
                            canonical(volume == null ? "" : volume),
                            params.getOrDefault("blockStorageSnapshotName", "snap1675890abe3"),
                            params.getOrDefault("blockStorageSnapshotDescription", ""), Instant.now().plus(listLag), false,
                            vpc, vpc ? params.getOrDefault("snapshotTypeCode", "FULL") : null,
                            vpc ? params.get("regionCode") : null);
                    snapshots.add(made);
                    if (reply.body() == null) {
                        reply = new Reply(200, reply.contentType(), vpc ? vpcAnswer("createBlockStorageSnapshotInstanceResponse",
                                List.of(made), 1) : success(params, made.number()), reply.delay(), reply.headers(), true);
                    }
                }
            }
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client hung up (a read timeout on its side); nothing to answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private boolean signatureValid(String method, String rawTarget, Map<String, String> headers) {
        String timestamp = headers.get("x-ncp-apigw-timestamp");
        String accessKey = headers.get("x-ncp-iam-access-key");
        String signature = headers.get("x-ncp-apigw-signature-v2");
        if (timestamp == null || accessKey == null || signature == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(System.currentTimeMillis() - ts) > Duration.ofMinutes(5).toMillis()) {
            return false;
        }
        String secret = secretsByAccessKey.get(accessKey);
        if (secret == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((method + " " + rawTarget + "\n" + timestamp + "\n" + accessKey)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(expected).equals(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private String success(Map<String, String> params, String number) {
        String volume = params.get("blockStorageInstanceNo");
        String name = params.getOrDefault("blockStorageSnapshotName", "snap1675890abe3");
        String description = params.getOrDefault("blockStorageSnapshotDescription", "");
        return exampleAnswer
                .replace("<blockStorageSnapshotInstanceNo>1089149<",
                        "<blockStorageSnapshotInstanceNo>" + number + "<")
                .replace("<blockStorageSnapshotName>snap1675890abe3<", "<blockStorageSnapshotName>" + escape(name) + "<")
                .replace("<originalBlockStorageInstanceNo>937508<",
                        "<originalBlockStorageInstanceNo>" + escape(volume == null ? "" : volume) + "<")
                .replace("<blockStorageSnapshotInstanceDescription></",
                        "<blockStorageSnapshotInstanceDescription>" + escape(description) + "</");
    }

    /**
     * NCP's list: the snapshots of the asked platform that show already, of one volume or by number, paged, with the
     * total over all pages. A poll by number counts towards each asked snapshot's turn to CREAT.
     */
    private String list(Map<String, String> params, boolean vpc) {
        String volume = params.get("originalBlockStorageInstanceNoList.1");
        java.util.Set<String> numbers = new java.util.HashSet<>();
        params.forEach((k, v) -> {
            if (k.startsWith("blockStorageSnapshotInstanceNoList.")) {
                numbers.add(v);
            }
        });
        for (String number : numbers) {
            polls.computeIfAbsent(number, n -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        }
        int pageNo = Integer.parseInt(params.getOrDefault("pageNo", "1"));
        int pageSize = Math.min(maxPageSize, Integer.parseInt(params.getOrDefault("pageSize", "100")));
        Instant now = Instant.now();
        List<Snapshot> listed = snapshots.stream()
                .filter(s -> s.vpc() == vpc && !gone.contains(s.number()))
                .filter(s -> volume == null || s.volume().equals(canonical(volume)))
                .filter(s -> numbers.isEmpty() || numbers.contains(s.number()))
                .filter(s -> !s.listedFrom().isAfter(now))
                .toList();
        List<Snapshot> page = listed.subList(Math.min(listed.size(), (pageNo - 1) * pageSize),
                Math.min(listed.size(), pageNo * pageSize));
        if (vpc) {
            return vpcAnswer("getBlockStorageSnapshotInstanceListResponse", page, listed.size());
        }
        StringBuilder xml = new StringBuilder("<getBlockStorageSnapshotInstanceListResponse><requestId>")
                .append(java.util.UUID.randomUUID()).append("</requestId><returnCode>0</returnCode>")
                .append("<returnMessage>success</returnMessage><totalRows>").append(listed.size())
                .append("</totalRows><blockStorageSnapshotInstanceList>");
        for (Snapshot snapshot : page) {
            String status = snapshot.seeded() ? "CREAT" : statusOf(snapshot.number());
            xml.append("<blockStorageSnapshot><blockStorageSnapshotInstanceNo>").append(snapshot.number())
                    .append("</blockStorageSnapshotInstanceNo><blockStorageSnapshotName>").append(escape(snapshot.name()))
                    .append("</blockStorageSnapshotName><blockStorageSnapshotVolumeSize>53687091200")
                    .append("</blockStorageSnapshotVolumeSize><originalBlockStorageInstanceNo>").append(snapshot.volume())
                    .append("</originalBlockStorageInstanceNo><blockStorageSnapshotInstanceStatus><code>").append(status)
                    .append("</code><codeName>Block storage ").append(status).append(" state</codeName>")
                    .append("</blockStorageSnapshotInstanceStatus>")
                    .append("<createDate>2026-11-27T19:15:30+0900</createDate>")
                    .append("<blockStorageSnapshotInstanceDescription>").append(escape(snapshot.description()))
                    .append("</blockStorageSnapshotInstanceDescription></blockStorageSnapshot>");
        }
        return xml.append("</blockStorageSnapshotInstanceList></getBlockStorageSnapshotInstanceListResponse>").toString();
    }

    /** A VPC answer, in the VPC API's own shape (blockStorageSnapshotInstance items, VPC-only fields). */
    private String vpcAnswer(String root, List<Snapshot> items, int totalRows) {
        StringBuilder xml = new StringBuilder("<").append(root).append("><requestId>").append(java.util.UUID.randomUUID())
                .append("</requestId><returnCode>0</returnCode><returnMessage>success</returnMessage><totalRows>")
                .append(totalRows).append("</totalRows><blockStorageSnapshotInstanceList>");
        for (Snapshot s : items) {
            String status = s.seeded() ? "CREAT" : statusOf(s.number());
            xml.append("<blockStorageSnapshotInstance><blockStorageSnapshotInstanceNo>").append(s.number())
                    .append("</blockStorageSnapshotInstanceNo><blockStorageSnapshotName>").append(escape(s.name()))
                    .append("</blockStorageSnapshotName><blockStorageSnapshotVolumeSize>10737418240")
                    .append("</blockStorageSnapshotVolumeSize><originalBlockStorageInstanceNo>").append(s.volume())
                    .append("</originalBlockStorageInstanceNo><blockStorageSnapshotDescription>")
                    .append(escape(s.description())).append("</blockStorageSnapshotDescription>")
                    .append("<blockStorageSnapshotInstanceStatus><code>").append(status).append("</code><codeName>")
                    .append(status).append("</codeName></blockStorageSnapshotInstanceStatus>")
                    .append("<blockStorageSnapshotInstanceOperation><code>NULL</code><codeName>Null</codeName>")
                    .append("</blockStorageSnapshotInstanceOperation><blockStorageSnapshotInstanceStatusName>")
                    .append("CREAT".equals(status) ? "created" : "creating").append("</blockStorageSnapshotInstanceStatusName>")
                    .append("<createDate>2026-11-27T19:15:30+0900</createDate>")
                    .append("<isEncryptedOriginalBlockStorageVolume>false</isEncryptedOriginalBlockStorageVolume>")
                    .append("<snapshotType><code>").append(s.type() == null ? "FULL" : s.type())
                    .append("</code><codeName>").append(s.type() == null ? "FULL" : s.type()).append("</codeName></snapshotType>")
                    .append("<snapshotChainDepth>").append("INCREMENTAL".equals(s.type()) ? 2 : 1).append("</snapshotChainDepth>")
                    .append("<hypervisorType><code>KVM</code><codeName>KVM</codeName></hypervisorType>")
                    .append("<blockStorageVolumeType><code>CB1</code><codeName>Common BlockStorage 1</codeName>")
                    .append("</blockStorageVolumeType><isBootable>false</isBootable>")
                    // a field NCP may add one day: must be ignored
                    .append("<futureField><code>X</code></futureField>")
                    .append("</blockStorageSnapshotInstance>");
        }
        return xml.append("</blockStorageSnapshotInstanceList></").append(root).append(">").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
