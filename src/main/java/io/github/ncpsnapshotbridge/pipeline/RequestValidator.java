package io.github.ncpsnapshotbridge.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.ncpsnapshotbridge.ncp.CredentialsStore;
import io.github.ncpsnapshotbridge.ncp.Platform;
import io.github.ncpsnapshotbridge.ncp.SnapshotMarker;

/**
 * Checks a request against the contract and names every field that breaks a rule. The result is a
 * {@link SnapshotRequest} or a {@link Rejection}, never an exception: bad input is an outcome, not an error.
 */
public class RequestValidator {

    static final String REQUEST_ID = "requestId";
    static final String VOLUME = "blockStorageInstanceNo";
    static final String NAME = "blockStorageSnapshotName";
    static final String DESCRIPTION = "blockStorageSnapshotDescription";
    static final String ACCOUNT = "account";
    static final String PLATFORM = "platform";
    static final String REGION = "regionCode";
    static final String SNAPSHOT_TYPE = "snapshotTypeCode";
    private static final Set<String> KNOWN = Set.of(REQUEST_ID, VOLUME, NAME, DESCRIPTION, ACCOUNT, PLATFORM, REGION,
            SNAPSHOT_TYPE);
    /** The most errors a {@code rejected} event lists. */
    static final int MAX_ERRORS = 100;
    private static final String ALLOWED = "allowed: requestId, blockStorageInstanceNo, blockStorageSnapshotName, "
            + "blockStorageSnapshotDescription, account, platform, regionCode, snapshotTypeCode";

    /** VPC snapshot names: letters, digits, - and _, starting with a letter and ending with a letter or digit. */
    private static final Pattern VPC_NAME = Pattern.compile("[A-Za-z]([A-Za-z0-9_-]*[A-Za-z0-9])?");
    private static final Pattern REGION_PATTERN = Pattern.compile("[A-Za-z0-9-]{1,20}");
    static final List<String> SNAPSHOT_TYPES = List.of("FULL", "INCREMENTAL");
    /** VPC counts the description in bytes (1000); the marker and its space take 27 of them. */
    static final int MAX_VPC_USER_DESCRIPTION_BYTES = SnapshotMarker.MAX_USER_DESCRIPTION;

    private static final Pattern REQUEST_ID_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Derived request ids start with these; a user's may not, so the two can never meet. */
    static final List<String> RESERVED_PREFIXES = List.of("file:", "kafka:", "amqp:", "http:", "policy:");
    static final int MAX_VOLUME_DIGITS = 19;
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final Function<String, Optional<String>> accountPlatform;
    private final Platform defaultPlatform;
    private final String defaultRegion;

    /** Every account classic, region {@code KR}. */
    public RequestValidator() {
        this(account -> Optional.empty(), Platform.CLASSIC, "KR");
    }

    /**
     * @param accountPlatform an account's own platform, as its credentials folder spells it ({@code <alias>/platform})
     * @param defaultPlatform {@code NCP_PLATFORM}
     * @param defaultRegion {@code NCP_REGION_CODE}
     */
    public RequestValidator(Function<String, Optional<String>> accountPlatform, Platform defaultPlatform,
            String defaultRegion) {
        this.accountPlatform = accountPlatform;
        this.defaultPlatform = defaultPlatform;
        this.defaultRegion = defaultRegion;
    }

    /** Returns a {@link SnapshotRequest} or a {@link Rejection}. */
    public Object validate(IntakeItem item) {
        String raw = RequestBatchReader.cutRaw(item.raw());
        if (item.json() == null) {
            return new Rejection(item.parseErrors(), raw, null, null, item.derivedRequestId());
        }
        JsonNode json = item.json();
        if (!json.isObject()) {
            return new Rejection(List.of(FieldError.ofDocument("a request must be a JSON object, got " + kind(json))),
                    raw, null, null, item.derivedRequestId());
        }

        List<FieldError> errors = new ArrayList<>();
        String requestId = optionalString(json, REQUEST_ID, errors);
        if (requestId != null && !REQUEST_ID_PATTERN.matcher(requestId).matches()) {
            errors.add(new FieldError(REQUEST_ID, "must be 1 to 128 characters of A-Z a-z 0-9 . _ : -"));
            requestId = null;
        } else if (requestId != null && reservedPrefix(requestId) != null) {
            errors.add(new FieldError(REQUEST_ID, "must not start with '" + reservedPrefix(requestId)
                    + "': file:, kafka: and amqp: are reserved for the ids the bridge derives from where a request came from"));
            requestId = null;
        }
        String volume = volume(json, errors);
        String account = optionalString(json, ACCOUNT, errors);
        if (account != null && !CredentialsStore.ALIAS.matcher(account).matches()) {
            errors.add(new FieldError(ACCOUNT, "must be 1 to 64 characters of A-Z a-z 0-9 . _ - (not starting with '.')"));
            account = null;
        }
        Platform platform = platform(json, account == null ? CredentialsStore.DEFAULT_ACCOUNT : account, errors);
        String name = optionalString(json, NAME, errors);
        checkLength(NAME, name, 3, 30, errors);
        checkNoControlCharacters(NAME, name, false, errors);
        String description = optionalString(json, DESCRIPTION, errors);
        checkNoControlCharacters(DESCRIPTION, description, true, errors);
        String region = optionalString(json, REGION, errors);
        String type = optionalString(json, SNAPSHOT_TYPE, errors);
        if (platform == Platform.VPC) {
            if (name != null && !VPC_NAME.matcher(name).matches()) {
                errors.add(new FieldError(NAME, "on vpc must be letters, digits, - and _, starting with a letter and "
                        + "ending with a letter or digit"));
            }
            // NCP takes 1000 bytes; the bridge appends the request's marker (see SnapshotMarker)
            int bytes = description == null ? 0 : description.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_VPC_USER_DESCRIPTION_BYTES) {
                errors.add(new FieldError(DESCRIPTION, "on vpc must be at most " + MAX_VPC_USER_DESCRIPTION_BYTES
                        + " bytes (UTF-8), got " + bytes));
            }
            if (region != null && !REGION_PATTERN.matcher(region).matches()) {
                errors.add(new FieldError(REGION, "must be 1 to 20 characters of A-Z a-z 0-9 -"));
            }
            if (type != null && !SNAPSHOT_TYPES.contains(type)) {
                errors.add(new FieldError(SNAPSHOT_TYPE, "must be FULL or INCREMENTAL, got '" + excerpt(type) + "'"));
            }
        } else {
            // NCP takes 1000; the bridge appends the request's marker (see SnapshotMarker) to what the user sent
            checkLength(DESCRIPTION, description, 10, SnapshotMarker.MAX_USER_DESCRIPTION, errors);
            if (platform != null && region != null) {
                errors.add(new FieldError(REGION, "is for platform vpc only; this request is for classic"));
            }
            if (platform != null && type != null) {
                errors.add(new FieldError(SNAPSHOT_TYPE, "is for platform vpc only; this request is for classic"));
            }
        }
        boolean allowedNamed = false;
        for (Iterator<String> names = json.fieldNames(); names.hasNext() && errors.size() <= MAX_ERRORS;) {
            String field = names.next();
            if (!KNOWN.contains(field)) {
                // a field's name is the user's text: quoted only in part; the allowed names are listed once
                errors.add(new FieldError(excerpt(field), allowedNamed ? "unknown field" : "unknown field; " + ALLOWED));
                allowedNamed = true;
            }
        }

        if (!errors.isEmpty()) {
            return new Rejection(capped(errors), raw, requestId, volume, item.derivedRequestId());
        }
        boolean derived = requestId == null;
        boolean vpc = platform == Platform.VPC;
        return new SnapshotRequest(derived ? item.derivedRequestId() : requestId, derived, volume, name, description,
                account == null ? CredentialsStore.DEFAULT_ACCOUNT : account, platform,
                vpc ? (region != null ? region : defaultRegion) : null, vpc ? (type != null ? type : "FULL") : null);
    }

    /** The request's platform, else its account's, else the default; null (with an error) when one is wrong. */
    private Platform platform(JsonNode json, String account, List<FieldError> errors) {
        String requested = optionalString(json, PLATFORM, errors);
        if (requested != null) {
            Optional<Platform> platform = Platform.of(requested);
            if (platform.isEmpty() || !requested.equals(platform.get().label())) {
                errors.add(new FieldError(PLATFORM, "must be classic or vpc, got '" + excerpt(requested) + "'"));
                return null;
            }
            return platform.get();
        }
        Optional<String> ofAccount = accountPlatform.apply(account);
        if (ofAccount.isPresent()) {
            Optional<Platform> platform = Platform.of(ofAccount.get());
            if (platform.isEmpty()) {
                errors.add(new FieldError(ACCOUNT, "account '" + account + "' has an unknown platform in its "
                        + "platform file (must be classic or vpc)"));
                return null;
            }
            return platform.get();
        }
        return defaultPlatform;
    }

    /**
     * At most {@value #MAX_ERRORS} errors, the last of them saying that more were left out: a {@code rejected} event
     * stays small (about 12 KiB at most with its 1,024 characters of {@code raw}), whatever the input holds.
     */
    static List<FieldError> capped(List<FieldError> errors) {
        if (errors.size() <= MAX_ERRORS) {
            return List.copyOf(errors);
        }
        List<FieldError> kept = new ArrayList<>(errors.subList(0, MAX_ERRORS - 1));
        kept.add(new FieldError(null, "more errors left out: only the first " + (MAX_ERRORS - 1) + " are listed"));
        return List.copyOf(kept);
    }

    private static String excerpt(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    /** The reserved prefix {@code requestId} starts with, or null. */
    static String reservedPrefix(String requestId) {
        for (String prefix : RESERVED_PREFIXES) {
            if (requestId.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    private static String volume(JsonNode json, List<FieldError> errors) {
        JsonNode node = json.get(VOLUME);
        if (node == null || node.isNull()) {
            errors.add(new FieldError(VOLUME, "is required"));
            return null;
        }
        if (node.isTextual() || node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0) {
            String value = node.isTextual() ? node.asText() : node.bigIntegerValue().toString();
            if (DIGITS.matcher(value).matches() && value.length() > MAX_VOLUME_DIGITS) {
                // NCP's numbers are 64-bit: 19 digits at most
                errors.add(new FieldError(VOLUME, "must be at most " + MAX_VOLUME_DIGITS + " digits, got " + value.length()));
                return null;
            }
            if (DIGITS.matcher(value).matches()) {
                return value;
            }
            errors.add(new FieldError(VOLUME, "must contain digits only"));
            return null;
        }
        errors.add(new FieldError(VOLUME, node.isNumber() ? "must be digits only, got the number " + node.asText()
                : "must be a string or a number, got " + kind(node)));
        return null;
    }

    private static String optionalString(JsonNode json, String field, List<FieldError> errors) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string, got " + kind(node)));
            return null;
        }
        return node.asText();
    }

    private static void checkLength(String field, String value, int min, int max, List<FieldError> errors) {
        if (value == null) {
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length < min || length > max) {
            errors.add(new FieldError(field, "must be " + min + " to " + max + " characters long, got " + length));
        }
    }

    private static void checkNoControlCharacters(String field, String value, boolean lineBreaksAllowed,
            List<FieldError> errors) {
        if (value == null) {
            return;
        }
        boolean bad = value.chars().anyMatch(c -> Character.isISOControl(c)
                && !(lineBreaksAllowed && (c == '\n' || c == '\r' || c == '\t')));
        if (bad) {
            errors.add(new FieldError(field, lineBreaksAllowed ? "must not contain control characters other than line breaks and tabs"
                    : "must not contain control characters"));
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
