package io.github.ncpsnapshotbridge.ncp;

/** A request named an account the bridge has no credentials for. */
public class UnknownAccountException extends RuntimeException {

    public UnknownAccountException(String account) {
        super("no credentials for account '" + account + "'");
    }
}
