package io.github.ncpsnapshotbridge.ncp;

/** An XML answer that could not be read into its model, and why (not well-formed, a DOCTYPE, an unknown root). */
public record UnreadableAnswer(String why) {
}
