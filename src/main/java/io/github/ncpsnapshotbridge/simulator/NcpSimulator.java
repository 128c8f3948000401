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
import io.github.ncpsnapshotbridge.ncp.NcpResponseParser;
import io.github.ncpsnapshotbridge.ncp.NcpSigner;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshotInstanceList;
import io.github.ncpsnapshotbridge.ncp.model.CommonCode;
import io.github.ncpsnapshotbridge.ncp.model.CreateBlockStorageSnapshotInstanceResponse;
import io.github.ncpsnapshotbridge.ncp.model.GetBlockStorageSnapshotInstanceListResponse;
import io.github.ncpsnapshotbridge.ncp.model.ResponseError;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;

/**
 * A stand-in for NCP's API gateway and the createBlockStorageSnapshotInstance action, for trying the bridge without
 * an NCP account. Like the gateway it rejects a call whose v2 signature, access key or timestamp (more than 5 minutes
 * off) is wrong, with a 401 JSON gateway error; otherwise it answers like NCP's documented example, echoing the
 * volume, name and description, with a new snapshot number every time. It also lists what it created
 * (getBlockStorageSnapshotInstanceList by original volume), which the bridge asks after a restart.
 */
public class NcpSimulator {

    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter NCP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    private final Function<String, Optional<NcpCredentials>> accounts;
    private final Clock clock;
    private final AtomicLong nextSnapshotNo = new AtomicLong(1089149);
    /** What this simulator "created", for look-ups; kept in memory only, so a restart of the app forgets it. */
    private final List<BlockStorageSnapshot> created = new CopyOnWriteArrayList<>();

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
        Map<String, String> params = decodeQuery(q < 0 ? "" : rawPathAndQuery.substring(q + 1));
        if (path.endsWith("/getBlockStorageSnapshotInstanceList")) {
            return xml(200, list(params.get("originalBlockStorageInstanceNoList.1")));
        }
        if (!path.endsWith("/createBlockStorageSnapshotInstance")) {
            return gatewayError(404, "300", "Not Found Exception", "The simulator knows createBlockStorageSnapshotInstance"
                    + " and getBlockStorageSnapshotInstanceList only.");
        }
        String volume = params.get("blockStorageInstanceNo");
        if (volume == null || volume.isEmpty()) {
            return xml(400, responseError("24", "blockStorageInstanceNo is a required parameter."));
        }
        return xml(200, created(volume, params.get("blockStorageSnapshotName"),
                params.get("blockStorageSnapshotDescription")));
    }

    private CreateBlockStorageSnapshotInstanceResponse created(String volume, String name, String description) {
        long number = nextSnapshotNo.getAndIncrement();
        BlockStorageSnapshot snapshot = new BlockStorageSnapshot();
        snapshot.setBlockStorageSnapshotInstanceNo(Long.toString(number));
        snapshot.setBlockStorageSnapshotName(name != null ? name : "snap" + Long.toHexString(number));
        snapshot.setBlockStorageSnapshotVolumeSize(53687091200L);
        snapshot.setOriginalBlockStorageInstanceNo(volume);
        snapshot.setOriginalBlockStorageName("s" + Integer.toHexString(volume.hashCode()));
        snapshot.setBlockStorageSnapshotInstanceStatus(code("INIT", "Block storage INIT state"));
        snapshot.setBlockStorageSnapshotInstanceOperation(code("NULL", "Block Storage NULLOP"));
        snapshot.setBlockStorageSnapshotInstanceStatusName("initialized");
        snapshot.setCreateDate(clock.instant().atOffset(ZoneOffset.ofHours(9)).format(NCP_DATE));
        snapshot.setBlockStorageSnapshotInstanceDescription(description != null ? description : "");
        snapshot.setServerImageProductCode("SPSW0LINUX000044");
        snapshot.setOsInformation("CentOS 6.6(64bit)");

        created.add(snapshot);
        BlockStorageSnapshotInstanceList list = new BlockStorageSnapshotInstanceList();
        list.getBlockStorageSnapshot().add(snapshot);
        CreateBlockStorageSnapshotInstanceResponse response = new CreateBlockStorageSnapshotInstanceResponse();
        response.setRequestId(UUID.randomUUID().toString());
        response.setReturnCode("0");
        response.setReturnMessage("success");
        response.setTotalRows(1);
        response.setBlockStorageSnapshotInstanceList(list);
        return response;
    }

    private GetBlockStorageSnapshotInstanceListResponse list(String volume) {
        BlockStorageSnapshotInstanceList list = new BlockStorageSnapshotInstanceList();
        created.stream().filter(s -> volume == null || volume.equals(s.getOriginalBlockStorageInstanceNo()))
                .forEach(list.getBlockStorageSnapshot()::add);
        GetBlockStorageSnapshotInstanceListResponse response = new GetBlockStorageSnapshotInstanceListResponse();
        response.setRequestId(UUID.randomUUID().toString());
        response.setReturnCode("0");
        response.setReturnMessage("success");
        response.setTotalRows(list.getBlockStorageSnapshot().size());
        response.setBlockStorageSnapshotInstanceList(list);
        return response;
    }

    private static ResponseError responseError(String code, String message) {
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

    private static Reply xml(int status, Object body) {
        try {
            Marshaller marshaller = NcpResponseParser.jaxbContext().createMarshaller();
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
