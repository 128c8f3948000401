package io.github.ncpsnapshotbridge.simulator;

import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.github.ncpsnapshotbridge.ncp.NcpCredentials;
import io.github.ncpsnapshotbridge.ncp.NcpSigner;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshotInstanceList;
import io.github.ncpsnapshotbridge.ncp.model.CommonCode;
import io.github.ncpsnapshotbridge.ncp.model.GetBlockStorageSnapshotInstanceListResponse;
import io.github.ncpsnapshotbridge.ncp.model.ResponseError;
import javax.xml.namespace.QName;

import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;

/**
 * A stand-in for NCP's API gateway and the createBlockStorageSnapshotInstance action, for trying the bridge without
 * an NCP account. Like the gateway it rejects a call whose v2 signature, access key or timestamp (more than 5 minutes
 * off) is wrong, with a 401 JSON gateway error; otherwise it answers like NCP's documented example, echoing the
 * volume, name and description, with a new snapshot number every time, on the classic ({@code /server/v2}) and the VPC
 * ({@code /vserver/v2}) API alike. It also lists what it created (getBlockStorageSnapshotInstanceList by original
 * volume or by snapshot numbers); a snapshot is {@code INIT} for its first five seconds, then {@code CREAT}.
 */
public class NcpSimulator {

    /** What the simulator writes its answers with: each platform's model, as NCP's schemas describe it. */
    private static final JAXBContext CLASSIC_ANSWERS = context("io.github.ncpsnapshotbridge.ncp.model");
    private static final JAXBContext VPC_ANSWERS = context("io.github.ncpsnapshotbridge.ncp.model.vpc");

    private static JAXBContext context(String modelPackage) {
        try {
            return JAXBContext.newInstance(modelPackage);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot build the JAXB context of " + modelPackage, e);
        }
    }


    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter NCP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    private final Function<String, Optional<NcpCredentials>> accounts;
    private final Clock clock;
    private final AtomicLong nextSnapshotNo = new AtomicLong(1089149);
    /** How long a simulated snapshot stays {@code INIT} before it is usable ({@code CREAT}). */
    static final Duration READY_AFTER = Duration.ofSeconds(5);

    /** What this simulator "created", for look-ups; kept in memory only, so a restart of the app forgets it. */
    private final List<Snapshot> created = new CopyOnWriteArrayList<>();

    public record Reply(int status, String contentType, String body) {
    }

    /** @param accounts looks up the key pair of an access key */
    public NcpSimulator(Function<String, Optional<NcpCredentials>> accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
    }

    /** @param rawPathAndQuery the request target exactly as received */
    public Reply handle(String method, String rawPathAndQuery, Function<String, String> headers) {
        String timestamp = headers.apply(SignedCall.TIMESTAMP_HEADER);
        String accessKey = headers.apply(SignedCall.ACCESS_KEY_HEADER);
        String signature = headers.apply(SignedCall.SIGNATURE_HEADER);
        if (timestamp == null || accessKey == null || signature == null) {
            return gatewayError(401, "200", "Authentication Failed", "Missing x-ncp-* authentication headers.");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return gatewayError(401, "200", "Authentication Failed", "Invalid timestamp.");
        }
        if (Math.abs(clock.millis() - ts) > MAX_SKEW.toMillis()) {
            return gatewayError(401, "200", "Authentication Failed", "Timestamp is out of range.");
        }
        Optional<NcpCredentials> account = accounts.apply(accessKey);
        if (account.isEmpty() || !NcpSigner.verify(signature, method, rawPathAndQuery, ts, account.get())) {
            return gatewayError(401, "200", "Authentication Failed", "Invalid authentication information.");
        }

        int q = rawPathAndQuery.indexOf('?');
        String path = q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
        Platform platform = path.contains("/vserver/") ? Platform.VPC : Platform.CLASSIC;
        Map<String, String> params = decodeQuery(q < 0 ? "" : rawPathAndQuery.substring(q + 1));
        if (path.endsWith("/getBlockStorageSnapshotInstanceList")) {
            return xml(platform, 200, list(platform, params));
        }
        if (!path.endsWith("/createBlockStorageSnapshotInstance")) {
            return gatewayError(404, "300", "Not Found Exception",
                    "The simulator knows createBlockStorageSnapshotInstance and getBlockStorageSnapshotInstanceList only.");
        }
        String volumeParameter = platform == Platform.VPC ? "originalBlockStorageInstanceNo" : "blockStorageInstanceNo";
        String volume = params.get(volumeParameter);
        if (volume == null || volume.isEmpty()) {
            return xml(platform, 400, responseError(platform, "24", volumeParameter + " is a required parameter."));
        }
        Snapshot snapshot = new Snapshot(platform, Long.toString(nextSnapshotNo.getAndIncrement()), volume,
                params.get("blockStorageSnapshotName"), params.get("blockStorageSnapshotDescription"),
                params.getOrDefault("snapshotTypeCode", "FULL"), clock.instant());
        created.add(snapshot);
        return xml(platform, 200, answer(platform, true, List.of(snapshot)));
    }

    /** A snapshot the simulator made; its status is {@code INIT} until {@link #READY_AFTER} has passed. */
    private record Snapshot(Platform platform, String number, String volume, String name, String description,
            String type, java.time.Instant at) {

        Snapshot {
            name = name != null ? name : "snap" + Long.toHexString(Long.parseLong(number));
        }
    }

    private Object list(Platform platform, Map<String, String> params) {
        String volume = params.get("originalBlockStorageInstanceNoList.1");
        java.util.Set<String> numbers = new java.util.HashSet<>();
        params.forEach((k, v) -> {
            if (k.startsWith("blockStorageSnapshotInstanceNoList.")) {
                numbers.add(v);
            }
        });
        List<Snapshot> found = created.stream().filter(s -> s.platform() == platform)
                .filter(s -> volume == null || volume.equals(s.volume()))
                .filter(s -> numbers.isEmpty() || numbers.contains(s.number())).toList();
        return answer(platform, false, found);
    }

    /**
     * NCP's answer listing {@code snapshots}. A create answer has the same shape as a list answer under another root
     * name, so both are the list type, written under the root the action answers with.
     */
    private Object answer(Platform platform, boolean create, List<Snapshot> snapshots) {
        QName root = new QName(create ? "createBlockStorageSnapshotInstanceResponse"
                : "getBlockStorageSnapshotInstanceListResponse");
        if (platform == Platform.VPC) {
            var list = new io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstanceList();
            snapshots.forEach(s -> list.getBlockStorageSnapshotInstance().add(vpc(s)));
            var response = new io.github.ncpsnapshotbridge.ncp.model.vpc.GetBlockStorageSnapshotInstanceListResponse();
            response.setRequestId(UUID.randomUUID().toString());
            response.setReturnCode("0");
            response.setReturnMessage("success");
            response.setTotalRows(snapshots.size());
            response.setBlockStorageSnapshotInstanceList(list);
            return new JAXBElement<>(root,
                    io.github.ncpsnapshotbridge.ncp.model.vpc.GetBlockStorageSnapshotInstanceListResponse.class, response);
        }
        BlockStorageSnapshotInstanceList list = new BlockStorageSnapshotInstanceList();
        snapshots.forEach(s -> list.getBlockStorageSnapshot().add(classic(s)));
        GetBlockStorageSnapshotInstanceListResponse response = new GetBlockStorageSnapshotInstanceListResponse();
        response.setRequestId(UUID.randomUUID().toString());
        response.setReturnCode("0");
        response.setReturnMessage("success");
        response.setTotalRows(snapshots.size());
        response.setBlockStorageSnapshotInstanceList(list);
        return new JAXBElement<>(root, GetBlockStorageSnapshotInstanceListResponse.class, response);
    }

    private boolean ready(Snapshot s) {
        return !clock.instant().isBefore(s.at().plus(READY_AFTER));
    }

    private BlockStorageSnapshot classic(Snapshot s) {
        BlockStorageSnapshot snapshot = new BlockStorageSnapshot();
        snapshot.setBlockStorageSnapshotInstanceNo(s.number());
        snapshot.setBlockStorageSnapshotName(s.name());
        snapshot.setBlockStorageSnapshotVolumeSize(53687091200L);
        snapshot.setOriginalBlockStorageInstanceNo(s.volume());
        snapshot.setOriginalBlockStorageName("s" + Integer.toHexString(s.volume().hashCode()));
        boolean ready = ready(s);
        snapshot.setBlockStorageSnapshotInstanceStatus(ready ? code("CREAT", "Block storage CREATED state")
                : code("INIT", "Block storage INIT state"));
        snapshot.setBlockStorageSnapshotInstanceOperation(code("NULL", "Block Storage NULLOP"));
        snapshot.setBlockStorageSnapshotInstanceStatusName(ready ? "created" : "initialized");
        snapshot.setCreateDate(s.at().atOffset(ZoneOffset.ofHours(9)).format(NCP_DATE));
        snapshot.setBlockStorageSnapshotInstanceDescription(s.description() != null ? s.description() : "");
        snapshot.setServerImageProductCode("SPSW0LINUX000044");
        snapshot.setOsInformation("CentOS 6.6(64bit)");
        return snapshot;
    }

    private io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstance vpc(Snapshot s) {
        var snapshot = new io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstance();
        snapshot.setBlockStorageSnapshotInstanceNo(s.number());
        snapshot.setBlockStorageSnapshotName(s.name());
        snapshot.setBlockStorageSnapshotVolumeSize(53687091200L);
        snapshot.setOriginalBlockStorageInstanceNo(s.volume());
        snapshot.setBlockStorageSnapshotDescription(s.description() != null ? s.description() : "");
        boolean ready = ready(s);
        snapshot.setBlockStorageSnapshotInstanceStatus(vpcCode(ready ? "CREAT" : "INIT", ready ? "Created" : "Init"));
        snapshot.setBlockStorageSnapshotInstanceOperation(vpcCode("NULL", "Null"));
        snapshot.setBlockStorageSnapshotInstanceStatusName(ready ? "created" : "initialized");
        snapshot.setCreateDate(s.at().atOffset(ZoneOffset.ofHours(9)).format(NCP_DATE));
        snapshot.setIsEncryptedOriginalBlockStorageVolume(false);
        snapshot.setSnapshotType(vpcCode(s.type(), "FULL".equals(s.type()) ? "Full" : "Incremental"));
        snapshot.setSnapshotChainDepth("FULL".equals(s.type()) ? 1 : 2);
        snapshot.setHypervisorType(vpcCode("KVM", "KVM"));
        snapshot.setBlockStorageVolumeType(vpcCode("CB1", "Common BlockStorage 1"));
        snapshot.setIsBootable(false);
        return snapshot;
    }

    private static io.github.ncpsnapshotbridge.ncp.model.vpc.CommonCode vpcCode(String code, String name) {
        var c = new io.github.ncpsnapshotbridge.ncp.model.vpc.CommonCode();
        c.setCode(code);
        c.setCodeName(name);
        return c;
    }

    private static Object responseError(Platform platform, String code, String message) {
        if (platform == Platform.VPC) {
            var error = new io.github.ncpsnapshotbridge.ncp.model.vpc.ResponseError();
            error.setRequestId(UUID.randomUUID().toString());
            error.setReturnCode(code);
            error.setReturnMessage(message);
            return error;
        }
        ResponseError error = new ResponseError();
        error.setRequestId(UUID.randomUUID().toString());
        error.setReturnCode(code);
        error.setReturnMessage(message);
        return error;
    }

    private static CommonCode code(String code, String name) {
        CommonCode c = new CommonCode();
        c.setCode(code);
        c.setCodeName(name);
        return c;
    }

    private static Reply xml(Platform platform, int status, Object body) {
        try {
            Marshaller marshaller = (platform == Platform.VPC ? VPC_ANSWERS : CLASSIC_ANSWERS).createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
            StringWriter out = new StringWriter();
            marshaller.marshal(body, out);
            return new Reply(status, "application/xml;charset=UTF-8", out.toString());
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write the simulated answer", e);
        }
    }

    private static Reply gatewayError(int status, String code, String message, String details) {
        String body = "{\"error\":{\"errorCode\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":\""
                + details + "\"}}";
        return new Reply(status, "application/json;charset=UTF-8", body);
    }

    static Map<String, String> decodeQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }
}
