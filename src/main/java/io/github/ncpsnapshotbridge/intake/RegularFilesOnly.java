package io.github.ncpsnapshotbridge.intake;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

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
            // a name this JVM cannot encode (a non-ASCII name under a C/POSIX locale)
            takeUndecodableNames();
            return false;
        }
        BasicFileAttributes attributes;
        int links;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            links = attributes.isRegularFile() ? linkCount(path) : 1;
        } catch (NoSuchFileException e) {
            if (file.getFileName().indexOf('\uFFFD') >= 0) {
                // listed under a name decoded with a replacement character (not valid UTF-8): no such path exists
                takeUndecodableNames();
            }
            return false;
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

    /**
     * Takes in the drop folder's request files whose names this JVM cannot decode (a Latin-1 name under UTF-8, any
     * non-ASCII name under a C locale). A directory stream keeps each name's bytes, so such a file can still be moved:
     * into a work folder marked {@link InboxFiles#UNDECODABLE}, under its name with those bytes percent-escaped, where
     * it is refused unread with an event and moved to {@code .error/}. Otherwise it would be skipped at every poll.
     */
    private void takeUndecodableNames() {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
            for (Path entry : entries) {
                String shown = entry.getFileName().toString();
                if (shown.startsWith(".") || !InboxFiles.isRequestFileName(shown) || decodable(entry)) {
                    continue;
                }
                String escaped = InboxFiles.escapedName(entry);
                Path folder = Files.createDirectory(InboxFiles.safeDir(inbox, InboxFiles.WORK_DIR)
                        .resolve(InboxFiles.newWorkToken() + InboxFiles.UNDECODABLE));
                Files.move(entry, folder.resolve(InboxFiles.freeName(folder, escaped)), StandardCopyOption.ATOMIC_MOVE);
                LOG.warnf("Drop folder: the name of %s cannot be decoded as %s; taken in to be refused unread", escaped,
                        System.getProperty("sun.jnu.encoding"));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Drop folder: a file whose name cannot be decoded is left in place (%s)", e.toString());
        }
    }

    /** Whether {@code entry}'s name, decoded and encoded again, names the same bytes. */
    private static boolean decodable(Path entry) {
        try {
            return entry.getParent().resolve(entry.getFileName().toString()).equals(entry);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
