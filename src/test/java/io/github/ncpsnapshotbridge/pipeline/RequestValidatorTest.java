package io.github.ncpsnapshotbridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.ncpsnapshotbridge.ncp.Platform;

class RequestValidatorTest {

    private final RequestBatchReader reader = new RequestBatchReader();
    private final RequestValidator validator = new RequestValidator();

    private Object validate(String json) {
        RequestBatch batch = reader.read(json.getBytes(StandardCharsets.UTF_8), RequestBatchReader.Format.JSON, "test:1");
        return validator.validate(batch.items().get(0));
    }

    private Rejection rejected(String json) {
        return assertInstanceOf(Rejection.class, validate(json));
    }

    private static String repeat(int n) {
        return "x".repeat(n);
    }

    /** Issue 25, item 9: each unknown field repeated the allowed names, so a 1 MB request gave a 21.8 MB event. */
    @Test
    void aRequestOfThousandsOfUnknownFieldsGivesASmallRejectedEvent() {
        StringBuilder json = new StringBuilder("{\"blockStorageInstanceNo\":\"1\"");
        for (int i = 0; json.length() < 1_000_000; i++) {
            json.append(",\"field").append(i).append("\":1");
        }
        Rejection rejection = rejected(json.append('}').toString());
        assertEquals(RequestValidator.MAX_ERRORS, rejection.errors().size());
        assertEquals(1, rejection.errors().stream().filter(e -> e.message().contains("allowed:")).count(),
                "the allowed names are listed once");
        assertEquals("field0", rejection.errors().get(0).field());
        assertTrue(rejection.errors().get(RequestValidator.MAX_ERRORS - 1).message().startsWith("more errors left out"));
        String event = new EventFactory("test", java.time.Clock.systemUTC()).rejected(rejection).json();
        assertTrue(event.length() < 64 * 1024, "the event is " + event.length() + " characters");
    }

    @Test
    void theContractExampleIsValid() {
        SnapshotRequest request = assertInstanceOf(SnapshotRequest.class, validate("""
                {"requestId":"db01-nightly-2026-11-27","blockStorageInstanceNo":"937508",
                 "blockStorageSnapshotName":"db01-nightly",
                 "blockStorageSnapshotDescription":"nightly backup of the db01 data volume","account":"default"}"""));
        assertEquals("db01-nightly-2026-11-27", request.requestId());
        assertFalse(request.requestIdDerived());
        assertEquals("937508", request.blockStorageInstanceNo());
        assertEquals("default", request.account());
    }

    @Test
    void volumeAsNumberAndDefaultsApply() {
        SnapshotRequest request = assertInstanceOf(SnapshotRequest.class, validate("{\"blockStorageInstanceNo\":937508}"));
        assertEquals("937508", request.blockStorageInstanceNo());
        assertEquals("default", request.account());
        assertEquals("test:1", request.requestId());
        assertTrue(request.requestIdDerived());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing volume           | {}                                                     | blockStorageInstanceNo | is required",
            "null volume              | {\"blockStorageInstanceNo\":null}                       | blockStorageInstanceNo | is required",
            "non-digits               | {\"blockStorageInstanceNo\":\"93a508\"}                 | blockStorageInstanceNo | digits only",
            "empty volume             | {\"blockStorageInstanceNo\":\"\"}                       | blockStorageInstanceNo | digits only",
            "negative number          | {\"blockStorageInstanceNo\":-5}                         | blockStorageInstanceNo | digits only",
            "fractional number        | {\"blockStorageInstanceNo\":937508.5}                   | blockStorageInstanceNo | digits only",
            "volume as boolean        | {\"blockStorageInstanceNo\":true}                       | blockStorageInstanceNo | got a boolean",
            "name as number           | {\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":123} | blockStorageSnapshotName | must be a string, got a number",
            "unknown field            | {\"blockStorageInstanceNo\":\"1\",\"volume\":\"1\"}     | volume                 | unknown field",
            "bad requestId            | {\"blockStorageInstanceNo\":\"1\",\"requestId\":\"a b\"}| requestId              | 1 to 128 characters",
            "requestId as number      | {\"blockStorageInstanceNo\":\"1\",\"requestId\":7}      | requestId              | must be a string",
            "account with a slash     | {\"blockStorageInstanceNo\":\"1\",\"account\":\"../x\"} | account                | 1 to 64 characters",
            "request is an array item | [1]                                                    | $                      | must be a JSON object",
            "control character name   | {\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":\"ab\\u0000c\"} | blockStorageSnapshotName | control characters",
    })
    void eachRuleNamesItsField(String rule, String json, String field, String messagePart) {
        Rejection rejection = rejected(json);
        FieldError error = rejection.errors().stream().filter(e -> e.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError(rule + ": no error for " + field + " in " + rejection.errors()));
        assertTrue(error.message().contains(messagePart), rule + ": " + error.message());
    }

    @Test
    void nameOfTwoAndThirtyOneCharactersIsRejectedThreeAndThirtyAccepted() {
        assertEquals(List.of(new FieldError("blockStorageSnapshotName", "must be 3 to 30 characters long, got 2")),
                rejected("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":\"" + repeat(2) + "\"}").errors());
        assertEquals(List.of(new FieldError("blockStorageSnapshotName", "must be 3 to 30 characters long, got 31")),
                rejected("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":\"" + repeat(31) + "\"}").errors());
        assertInstanceOf(SnapshotRequest.class,
                validate("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":\"" + repeat(3) + "\"}"));
        assertInstanceOf(SnapshotRequest.class,
                validate("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":\"" + repeat(30) + "\"}"));
    }

    @Test
    void descriptionOfNineCharactersOrMoreThanNcpLeavesBesideTheMarkerIsRejected() {
        assertEquals(List.of(new FieldError("blockStorageSnapshotDescription", "must be 10 to 973 characters long, got 9")),
                rejected("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\"" + repeat(9) + "\"}").errors());
        assertEquals(List.of(new FieldError("blockStorageSnapshotDescription", "must be 10 to 973 characters long, got 974")),
                rejected("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\"" + repeat(974) + "\"}").errors());
        assertInstanceOf(SnapshotRequest.class,
                validate("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotDescription\":\"" + repeat(973) + "\"}"));
    }

    @Test
    void requestIdsWithTheReservedPrefixesOfDerivedIdsAreRejected() {
        for (String id : List.of("file:abc", "kafka:ncp.snapshot.requests:0:5000", "amqp:0123")) {
            Rejection rejection = rejected("{\"requestId\":\"" + id + "\",\"blockStorageInstanceNo\":\"1\"}");
            assertEquals(1, rejection.errors().size());
            assertEquals("requestId", rejection.errors().get(0).field());
            assertTrue(rejection.errors().get(0).message().contains("reserved"), rejection.errors().get(0).message());
        }
        assertInstanceOf(SnapshotRequest.class, validate("{\"requestId\":\"files:1\",\"blockStorageInstanceNo\":\"1\"}"));
    }

    @Test
    void lengthsCountCharactersNotBytes() {
        // three Hangul syllables are nine UTF-8 bytes but three characters
        assertInstanceOf(SnapshotRequest.class,
                validate("{\"blockStorageInstanceNo\":\"1\",\"blockStorageSnapshotName\":\"스냅샷\"}"));
    }

    @Test
    void everyBrokenRuleIsReportedAtOnceAndTheRequestIdIsKept() {
        Rejection rejection = rejected("{\"requestId\":\"r-1\",\"blockStorageInstanceNo\":\"x\","
                + "\"blockStorageSnapshotName\":\"ab\",\"extra\":1}");
        assertEquals(List.of("blockStorageInstanceNo", "blockStorageSnapshotName", "extra"),
                rejection.errors().stream().map(FieldError::field).toList());
        assertEquals("r-1", rejection.requestId());
        assertEquals("r-1", rejection.effectiveRequestId());
    }

    @Test
    void malformedJsonNamesTheCauseAndWhere() {
        Rejection rejection = rejected("{\"blockStorageInstanceNo\": \"1\",");
        assertEquals("$", rejection.errors().get(0).field());
        assertTrue(rejection.errors().get(0).message().startsWith("not valid JSON"), rejection.errors().toString());
        assertTrue(rejection.errors().get(0).message().contains("line 1"), rejection.errors().toString());
        assertEquals("test:1", rejection.effectiveRequestId());
    }

    @Test
    void aVpcRequestGetsTheDefaultRegionAndAFullSnapshot() {
        SnapshotRequest request = assertInstanceOf(SnapshotRequest.class,
                validate("{\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\"}"));
        assertEquals(Platform.VPC, request.platform());
        assertEquals("KR", request.regionCode());
        assertEquals("FULL", request.snapshotTypeCode());
        SnapshotRequest classic = assertInstanceOf(SnapshotRequest.class, validate("{\"blockStorageInstanceNo\":\"1\"}"));
        assertEquals(Platform.CLASSIC, classic.platform());
        assertEquals(null, classic.regionCode());
    }

    @Test
    void anAccountsPlatformFileDecidesWhenTheRequestSaysNothing() {
        RequestValidator perAccount = new RequestValidator(
                account -> account.equals("team-vpc") ? java.util.Optional.of("vpc")
                        : account.equals("broken") ? java.util.Optional.of("mainframe") : java.util.Optional.empty(),
                Platform.CLASSIC, "JPN");
        RequestBatch batch = reader.read(("[{\"blockStorageInstanceNo\":\"1\",\"account\":\"team-vpc\"},"
                + "{\"blockStorageInstanceNo\":\"1\",\"account\":\"team-vpc\",\"platform\":\"classic\"},"
                + "{\"blockStorageInstanceNo\":\"1\"},"
                + "{\"blockStorageInstanceNo\":\"1\",\"account\":\"broken\"}]").getBytes(StandardCharsets.UTF_8),
                RequestBatchReader.Format.JSON, "test:1");
        SnapshotRequest ofAccount = assertInstanceOf(SnapshotRequest.class, perAccount.validate(batch.items().get(0)));
        assertEquals(Platform.VPC, ofAccount.platform());
        assertEquals("JPN", ofAccount.regionCode(), "NCP_REGION_CODE");
        assertEquals(Platform.CLASSIC,
                assertInstanceOf(SnapshotRequest.class, perAccount.validate(batch.items().get(1))).platform(),
                "the request's own platform wins");
        assertEquals(Platform.CLASSIC,
                assertInstanceOf(SnapshotRequest.class, perAccount.validate(batch.items().get(2))).platform());
        Rejection broken = assertInstanceOf(Rejection.class, perAccount.validate(batch.items().get(3)));
        assertEquals("account", broken.errors().get(0).field());
        assertTrue(broken.errors().get(0).message().contains("unknown platform"), broken.errors().get(0).message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown platform            | {\"blockStorageInstanceNo\":\"1\",\"platform\":\"VPC2\"}  | platform | must be classic or vpc",
            "platform in capitals        | {\"blockStorageInstanceNo\":\"1\",\"platform\":\"VPC\"}   | platform | must be classic or vpc",
            "vpc name starting with digit| {\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\",\"blockStorageSnapshotName\":\"1db-nightly\"} | blockStorageSnapshotName | starting with a letter",
            "vpc name ending with dash   | {\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\",\"blockStorageSnapshotName\":\"db-nightly-\"} | blockStorageSnapshotName | ending with a letter or digit",
            "vpc name with a space       | {\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\",\"blockStorageSnapshotName\":\"db nightly\"} | blockStorageSnapshotName | letters, digits, - and _",
            "unknown snapshot type       | {\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\",\"snapshotTypeCode\":\"DELTA\"} | snapshotTypeCode | must be FULL or INCREMENTAL",
            "bad region                  | {\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\",\"regionCode\":\"K R\"} | regionCode | 1 to 20 characters",
            "region on classic           | {\"blockStorageInstanceNo\":\"1\",\"regionCode\":\"KR\"} | regionCode | for platform vpc only",
            "snapshot type on classic    | {\"blockStorageInstanceNo\":\"1\",\"snapshotTypeCode\":\"FULL\"} | snapshotTypeCode | for platform vpc only",
    })
    void vpcRulesNameTheirField(String rule, String json, String field, String messagePart) {
        eachRuleNamesItsField(rule, json, field, messagePart);
    }

    @Test
    void aVpcDescriptionCountsBytesAndMayBeShort() {
        String korean = "한".repeat(325); // 975 bytes in UTF-8, 325 characters
        Rejection rejection = rejected("{\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\","
                + "\"blockStorageSnapshotDescription\":\"" + korean + "\"}");
        assertEquals("blockStorageSnapshotDescription", rejection.errors().get(0).field());
        assertTrue(rejection.errors().get(0).message().contains("973 bytes"), rejection.errors().get(0).message());
        assertInstanceOf(SnapshotRequest.class, validate("{\"blockStorageInstanceNo\":\"1\",\"platform\":\"vpc\","
                + "\"blockStorageSnapshotDescription\":\"short\",\"blockStorageSnapshotName\":\"db01_nightly-2\","
                + "\"snapshotTypeCode\":\"INCREMENTAL\",\"regionCode\":\"JPN\"}"));
    }
}
