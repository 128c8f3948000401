package io.github.ncpsnapshotbridge.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.ncpsnapshotbridge.support.Json;

/**
 * Lets only regular files of the drop folder through to be taken in, and only regular files with one link through to
 * be read from {@code .work/}, where nothing but the bridge can swap them. A symbolic link (to a key file, to
 * {@code /proc/self/environ}…), a hard link to another file or any other special file is never opened: the entry
 * itself (never what it points to) moves to {@code .error/} with a reason beside it, so that nothing dropped stays
 * behind. The move happens here, because the file consumer never hands such an entry to the route.
 */
public class RegularFilesOnly implements GenericFileFilter<java.io.File> {

    private static final Logger LOG = Logger.getLogger(RegularFilesOnly.class);

    private final Path inbox;
    private final Set<String> undecodable = ConcurrentHashMap.newKeySet();

    public RegularFilesOnly(Path inbox) {
        this.inbox = inbox;
    }

    @Override
    public boolean accept(GenericFile<java.io.File> file) {
        if (file.isDirectory()) {
            // the folders under .work/ that hold taken files
            return true;
        }
        Path path;
        try {
            path = Path.of(file.getAbsoluteFilePath());
        } catch (InvalidPathException e) {
            // a name this JVM cannot encode (a non-ASCII name under a C/POSIX locale): skipped, the rest goes on
            undecodable(file.getFileName());
            return false;
        }
        BasicFileAttributes attributes;
        int links;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            links = attributes.isRegularFile() ? linkCount(path) : 1;
        } catch (IOException e) {
            return false;
        }
        if (attributes.isRegularFile() && links == 1) {
            return true;
        }
        String kind = attributes.isSymbolicLink() ? "a symbolic link"
                : attributes.isRegularFile() ? "a file with " + links + " hard links (it may be another file's)"
                : "not a regular file";
        try {
            Path errors = InboxFiles.safeDir(inbox, InboxFiles.ERROR_DIR);
            String target = InboxFiles.freeName(errors, path.getFileName().toString());
            ObjectNode reason = Json.MAPPER.createObjectNode();
            reason.put("file", path.getFileName().toString());
            reason.put("movedTo", InboxFiles.ERROR_DIR + "/" + target);
            reason.putArray("errors").addObject().putNull("field")
                    .put("message", kind + ": only regular files are read; it was not opened");
            InboxFiles.writeAtomically(errors.resolve(target + ".error.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(reason));
            InboxFiles.moveOutOfWork(path, errors.resolve(target));
            LOG.warnf("Drop folder: %s is %s; moved to %s/ unread", path.getFileName(), kind, InboxFiles.ERROR_DIR);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Drop folder: %s is %s and is left unread (%s)", path.getFileName(), kind, e.toString());
        }
        return false;
    }

    private static int linkCount(Path path) throws IOException {
        try {
            return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /** Said once per name (for the first 10,000 of them), not at every poll. */
    private void undecodable(String name) {
        if (undecodable.size() < 10_000 && undecodable.add(name)) {
            LOG.warnf("Drop folder: a file name cannot be represented in this JVM's file name encoding (%s) and is "
                    + "skipped; run the bridge under a UTF-8 locale (LANG=C.UTF-8)", System.getProperty("sun.jnu.encoding"));
        }
    }
}
