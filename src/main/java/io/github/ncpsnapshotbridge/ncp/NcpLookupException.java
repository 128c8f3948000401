package io.github.ncpsnapshotbridge.ncp;

/** A look-up at NCP gave no usable answer; the request must wait and be tried again, never be guessed. */
public class NcpLookupException extends RuntimeException {

    public NcpLookupException(String message) {
        super(message);
    }
}
