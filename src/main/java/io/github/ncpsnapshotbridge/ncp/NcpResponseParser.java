package io.github.ncpsnapshotbridge.ncp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;

import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.ncpsnapshotbridge.ncp.model.CreateBlockStorageSnapshotInstanceResponse;
import io.github.ncpsnapshotbridge.ncp.model.GetBlockStorageSnapshotInstanceListResponse;
import io.github.ncpsnapshotbridge.ncp.model.ResponseError;
import io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstanceList;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;

/**
 * Turns NCP's answers into outcomes and snapshot pages, on either platform (each has its own JAXB model: the VPC
 * answers reuse the classic root names with another shape). XML goes through JAXB on a SAX parser that refuses any
 * DOCTYPE (so no DTD, no entity of its own, nothing external is ever read); the gateway's JSON errors through
 * Jackson. Nothing here throws for a bad answer: a body that is not what NCP documents becomes a
 * {@code malformed-response} failure. Each thread keeps its own parser and unmarshallers (neither is thread-safe,
 * both are costly to make and cheap to reuse).
 */
public class NcpResponseParser {

    private static final int MAX_MESSAGE = 300;
    private static final JAXBContext JAXB = createContext(CreateBlockStorageSnapshotInstanceResponse.class,
            GetBlockStorageSnapshotInstanceListResponse.class, ResponseError.class);
    private static final JAXBContext VPC_JAXB = createContext(
            io.github.ncpsnapshotbridge.ncp.model.vpc.CreateBlockStorageSnapshotInstanceResponse.class,
            io.github.ncpsnapshotbridge.ncp.model.vpc.GetBlockStorageSnapshotInstanceListResponse.class,
            io.github.ncpsnapshotbridge.ncp.model.vpc.ResponseError.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SAXParserFactory saxParsers;
    private final ThreadLocal<Readers> readers = ThreadLocal.withInitial(this::newReaders);

    public NcpResponseParser() {
        saxParsers = SAXParserFactory.newInstance();
        saxParsers.setNamespaceAware(true);
        try {
            saxParsers.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // NCP never sends a DOCTYPE: an answer that carries one is refused outright, not half-read
            saxParsers.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            saxParsers.setFeature("http://xml.org/sax/features/external-general-entities", false);
            saxParsers.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            saxParsers.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the XML parser cannot be made safe for NCP's answers", e);
        }
    }

    /** One thread's parser and its unmarshaller of each platform's answers. */
    private record Readers(XMLReader xml, Map<Platform, Unmarshaller> unmarshallers) {
    }

    private Readers newReaders() {
        try {
            Map<Platform, Unmarshaller> unmarshallers = new EnumMap<>(Platform.class);
            unmarshallers.put(Platform.CLASSIC, JAXB.createUnmarshaller());
            unmarshallers.put(Platform.VPC, VPC_JAXB.createUnmarshaller());
            return new Readers(saxParsers.newSAXParser().getXMLReader(), unmarshallers);
        } catch (ParserConfigurationException | SAXException | JAXBException e) {
            throw new IllegalStateException("cannot set up the XML parser for NCP's answers", e);
        }
    }

    /** The JAXB context of a platform's answers (the simulator writes its answers with it). */
    public static JAXBContext jaxbContext(Platform platform) {
        return platform == Platform.VPC ? VPC_JAXB : JAXB;
    }

    /** A classic answer. */
    public NcpOutcome parseCreateSnapshot(int httpStatus, byte[] body) {
        return parseCreateSnapshot(Platform.CLASSIC, httpStatus, body);
    }

    public NcpOutcome parseCreateSnapshot(Platform platform, int httpStatus, byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        char first = firstSignificantChar(bytes);
        Object answer;
        try {
            if (first == '<') {
                answer = unmarshal(platform, bytes);
            } else if (first == '{') {
                answer = JSON.readTree(bytes);
            } else {
                return unreadable(httpStatus, bytes.length == 0 ? "the answer is empty" : "the answer is neither XML nor JSON");
            }
        } catch (JAXBException | IOException | RuntimeException e) {
            return unreadable(httpStatus, "the answer is not well-formed: " + describe(e));
        }

        if (answer instanceof CreateBlockStorageSnapshotInstanceResponse ok && isSuccess(httpStatus)) {
            List<NcpSnapshot> snapshots = ok.getBlockStorageSnapshotInstanceList() == null ? List.of()
                    : ok.getBlockStorageSnapshotInstanceList().getBlockStorageSnapshot().stream().map(NcpSnapshot::of).toList();
            return created(httpStatus, ok.getRequestId(), ok.getReturnCode(), ok.getReturnMessage(), snapshots);
        }
        if (answer instanceof io.github.ncpsnapshotbridge.ncp.model.vpc.CreateBlockStorageSnapshotInstanceResponse ok
                && isSuccess(httpStatus)) {
            return created(httpStatus, ok.getRequestId(), ok.getReturnCode(), ok.getReturnMessage(),
                    vpcSnapshots(ok.getBlockStorageSnapshotInstanceList()));
        }
        if (answer instanceof ResponseError error) {
            return refused(httpStatus, error.getReturnCode(), error.getReturnMessage());
        }
        if (answer instanceof io.github.ncpsnapshotbridge.ncp.model.vpc.ResponseError error) {
            return refused(httpStatus, error.getReturnCode(), error.getReturnMessage());
        }
        if (answer instanceof JsonNode json) {
            JsonNode responseError = json.path("responseError");
            if (responseError.isObject()) {
                return refused(httpStatus, text(responseError, "returnCode"), text(responseError, "returnMessage"));
            }
            JsonNode gatewayError = json.path("error");
            if (gatewayError.isObject()) {
                return refused(httpStatus, text(gatewayError, "errorCode"), text(gatewayError, "message"));
            }
        }
        return unreadable(httpStatus, "the answer is not a createBlockStorageSnapshotInstanceResponse or an error");
    }

    /**
     * One page of snapshots in a getBlockStorageSnapshotInstanceList answer.
     *
     * @throws NcpLookupException when NCP refused or the answer cannot be read: then nothing is known
     */
    public SnapshotPage parseSnapshotList(Platform platform, int httpStatus, byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        Object answer;
        try {
            answer = firstSignificantChar(bytes) == '<' ? unmarshal(platform, bytes) : null;
        } catch (JAXBException | RuntimeException e) {
            throw new NcpLookupException("HTTP " + httpStatus + ", unreadable answer: " + describe(e));
        }
        if (isSuccess(httpStatus) && answer instanceof GetBlockStorageSnapshotInstanceListResponse list
                && "0".equals(list.getReturnCode())) {
            List<NcpSnapshot> snapshots = list.getBlockStorageSnapshotInstanceList() == null ? List.of()
                    : list.getBlockStorageSnapshotInstanceList().getBlockStorageSnapshot().stream().map(NcpSnapshot::of).toList();
            return page(snapshots, list.getTotalRows());
        }
        if (isSuccess(httpStatus) && answer instanceof io.github.ncpsnapshotbridge.ncp.model.vpc.GetBlockStorageSnapshotInstanceListResponse list
                && "0".equals(list.getReturnCode())) {
            return page(vpcSnapshots(list.getBlockStorageSnapshotInstanceList()), list.getTotalRows());
        }
        NcpOutcome outcome = parseCreateSnapshot(platform, httpStatus, bytes);
        if (outcome instanceof NcpOutcome.Failed failed && failed.error().category() != ErrorCategory.MALFORMED_RESPONSE) {
            throw new NcpLookupException("HTTP " + httpStatus + ", " + failed.error().category().label() + ": "
                    + failed.error().returnMessage(), failed.error().retryable());
        }
        throw new NcpLookupException("HTTP " + httpStatus + ", not a snapshot list");
    }

    /** An answer without totalRows is taken as complete. */
    private static SnapshotPage page(List<NcpSnapshot> snapshots, Integer totalRows) {
        return new SnapshotPage(snapshots, totalRows == null ? snapshots.size() : totalRows);
    }

    private static List<NcpSnapshot> vpcSnapshots(BlockStorageSnapshotInstanceList list) {
        return list == null ? List.of() : list.getBlockStorageSnapshotInstance().stream().map(NcpSnapshot::of).toList();
    }

    private static NcpOutcome created(int httpStatus, String requestId, String returnCode, String returnMessage,
            List<NcpSnapshot> snapshots) {
        if (!"0".equals(returnCode)) {
            return refused(httpStatus, returnCode, returnMessage);
        }
        if (snapshots.isEmpty()) {
            return new NcpOutcome.Failed(new NcpError(httpStatus, returnCode,
                    "NCP reported success but the answer holds no snapshot", ErrorCategory.MALFORMED_RESPONSE));
        }
        return new NcpOutcome.Created(requestId, returnCode, returnMessage, snapshots.get(0));
    }

    private static NcpOutcome refused(int httpStatus, String returnCode, String returnMessage) {
        ErrorCategory category = isSuccess(httpStatus) ? ErrorCategory.CLIENT : ErrorCategory.ofHttpStatus(httpStatus);
        if (NcpError.TRY_AGAIN_LATER.equals(returnCode) && category != ErrorCategory.THROTTLED) {
            category = ErrorCategory.SERVER;
        }
        return new NcpOutcome.Failed(new NcpError(httpStatus, returnCode, cut(returnMessage), category));
    }

    private static NcpOutcome unreadable(int httpStatus, String why) {
        // an error status with an odd body (a proxy's HTML page, say) is still that error; only an answer that
        // claims success and cannot be read is a malformed response, and it must not be retried blindly
        ErrorCategory category = isSuccess(httpStatus) ? ErrorCategory.MALFORMED_RESPONSE
                : ErrorCategory.ofHttpStatus(httpStatus);
        return new NcpOutcome.Failed(new NcpError(httpStatus, null, cut(why), category));
    }

    private Object unmarshal(Platform platform, byte[] bytes) throws JAXBException {
        Readers mine = readers.get();
        return mine.unmarshallers().get(platform)
                .unmarshal(new SAXSource(mine.xml(), new InputSource(new ByteArrayInputStream(bytes))));
    }

    private static boolean isSuccess(int httpStatus) {
        return httpStatus >= 200 && httpStatus < 300;
    }

    private static char firstSignificantChar(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            i = 3;
        }
        for (; i < bytes.length; i++) {
            char c = (char) (bytes[i] & 0xff);
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return 0;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while ((cause.getMessage() == null || cause instanceof JAXBException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }

    private static JAXBContext createContext(Class<?>... roots) {
        try {
            return JAXBContext.newInstance(roots);
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot build the JAXB context for NCP answers", e);
        }
    }
}
