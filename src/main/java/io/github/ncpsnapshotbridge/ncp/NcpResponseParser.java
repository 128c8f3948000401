package io.github.ncpsnapshotbridge.ncp;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.ncpsnapshotbridge.ncp.model.CreateBlockStorageSnapshotInstanceResponse;
import io.github.ncpsnapshotbridge.ncp.model.GetBlockStorageSnapshotInstanceListResponse;
import io.github.ncpsnapshotbridge.ncp.model.ResponseError;
import io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstanceList;

/**
 * Turns NCP's answers into outcomes and snapshot pages, on either platform (each has its own JAXB model: the VPC
 * answers reuse the classic root names with another shape). An XML answer arrives already read into its model (by
 * camel-jaxb, in the route every call takes, after {@link XmlAnswers#refusal} turned away DOCTYPEs and entity
 * references); the gateway's JSON errors are read here with Jackson. Nothing here throws for a bad answer: a body
 * that is not what NCP documents becomes a {@code malformed-response} failure.
 */
public class NcpResponseParser {

    private static final int MAX_MESSAGE = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    public NcpOutcome parseCreateSnapshot(Platform platform, HttpReply reply) {
        int httpStatus = reply.status();
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body();
        Object answer = reply.answer();
        if (answer instanceof UnreadableAnswer unreadable) {
            return unreadable(httpStatus, "the answer is not well-formed: " + unreadable.why());
        }
        if (answer == null) {
            char first = XmlAnswers.firstSignificantChar(bytes);
            if (first != '{') {
                return unreadable(httpStatus, bytes.length == 0 ? "the answer is empty"
                        : first == '<' ? "the XML answer was not read" : "the answer is neither XML nor JSON");
            }
            try {
                answer = JSON.readTree(bytes);
            } catch (IOException | RuntimeException e) {
                return unreadable(httpStatus, "the answer is not well-formed: " + UnreadableAnswer.describe(e));
            }
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
    public SnapshotPage parseSnapshotList(Platform platform, HttpReply reply) {
        int httpStatus = reply.status();
        Object answer = reply.answer();
        if (answer instanceof UnreadableAnswer unreadable) {
            throw new NcpLookupException("HTTP " + httpStatus + ", unreadable answer: " + unreadable.why());
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
        NcpOutcome outcome = parseCreateSnapshot(platform, reply);
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

    private static boolean isSuccess(int httpStatus) {
        return httpStatus >= 200 && httpStatus < 300;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "…";
    }
}
