package io.github.ncpsnapshotbridge.ncp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

import com.ctc.wstx.stax.WstxInputFactory;

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
 * answers reuse the classic root names with another shape). XML goes through JAXB on a Woodstox StAX reader with DTDs
 * and external entities switched off, and an answer that carries a DOCTYPE or an entity reference is refused outright
 * (nothing external is ever read, nothing is half-read); the gateway's JSON errors through Jackson. Nothing here
 * throws for a bad answer: a body that is not what NCP documents becomes a {@code malformed-response} failure. Each
 * thread keeps its own unmarshallers (not thread-safe, costly to make, cheap to reuse). Woodstox rather than the JDK's
 * parser: a third less CPU per answer, and the answer is read once per request.
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

    private final XMLInputFactory xmlInputFactory;
    private final ThreadLocal<Map<Platform, Unmarshaller>> unmarshallers = ThreadLocal.withInitial(
            NcpResponseParser::newUnmarshallers);

    public NcpResponseParser() {
        xmlInputFactory = new WstxInputFactory();
        xmlInputFactory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xmlInputFactory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        xmlInputFactory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    }

    private static Map<Platform, Unmarshaller> newUnmarshallers() {
        try {
            Map<Platform, Unmarshaller> unmarshallers = new EnumMap<>(Platform.class);
            unmarshallers.put(Platform.CLASSIC, JAXB.createUnmarshaller());
            unmarshallers.put(Platform.VPC, VPC_JAXB.createUnmarshaller());
            return unmarshallers;
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot make the unmarshallers of NCP's answers", e);
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
        } catch (JAXBException | XMLStreamException | IOException | RuntimeException e) {
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
        } catch (JAXBException | XMLStreamException | RuntimeException e) {
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

    private Object unmarshal(Platform platform, byte[] bytes) throws JAXBException, XMLStreamException {
        XMLStreamReader reader = new NoDoctypeReader(xmlInputFactory.createXMLStreamReader(new ByteArrayInputStream(bytes)));
        try {
            return unmarshallers.get().get(platform).unmarshal(reader);
        } finally {
            reader.close();
        }
    }

    /**
     * NCP never sends a DOCTYPE. With DTDs off the parser would merely skip one and leave entity references unresolved;
     * an answer that carries either is refused outright instead of being half-read.
     */
    private static final class NoDoctypeReader extends StreamReaderDelegate {

        NoDoctypeReader(XMLStreamReader reader) {
            super(reader);
        }

        @Override
        public int next() throws XMLStreamException {
            int event = super.next();
            if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                throw new XMLStreamException("DOCTYPE declarations and entity references are not accepted", getLocation());
            }
            return event;
        }

        @Override
        public int nextTag() throws XMLStreamException {
            int event = next();
            while (event == XMLStreamConstants.CHARACTERS && isWhiteSpace() || event == XMLStreamConstants.SPACE
                    || event == XMLStreamConstants.COMMENT || event == XMLStreamConstants.PROCESSING_INSTRUCTION) {
                event = next();
            }
            if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
                throw new XMLStreamException("expected an element", getLocation());
            }
            return event;
        }
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
