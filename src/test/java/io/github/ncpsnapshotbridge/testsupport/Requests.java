package io.github.ncpsnapshotbridge.testsupport;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * Request JSON as users send it, built in one place (and escaped properly):
 * {@code Requests.of("db01-nightly", "937508").with("platform", "vpc").json()}. Tests of malformed input keep their
 * raw text on purpose.
 */
public final class Requests {

    private final ObjectNode node = Json.MAPPER.createObjectNode();

    private Requests() {
    }

    /** A request with this requestId (left out when null) for this volume. */
    public static Requests of(String requestId, String volume) {
        Requests r = new Requests();
        if (requestId != null) {
            r.node.put("requestId", requestId);
        }
        r.node.put("blockStorageInstanceNo", volume);
        return r;
    }

    /** One more field, as a string. */
    public Requests with(String field, String value) {
        node.put(field, value);
        return this;
    }

    public String json() {
        return node.toString();
    }

    @Override
    public String toString() {
        return json();
    }
}
