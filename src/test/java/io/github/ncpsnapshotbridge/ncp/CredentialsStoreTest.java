package io.github.ncpsnapshotbridge.ncp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsStoreTest {

    @TempDir
    Path dir;

    private void account(String alias, String access, String secret) throws IOException {
        Path account = Files.createDirectories(dir.resolve(alias));
        Files.writeString(account.resolve("access-key"), access + "\n");
        Files.writeString(account.resolve("secret-key"), secret + "\n");
    }

    @Test
    void defaultComesFromTheEnvironmentAndOthersFromTheFolder() throws IOException {
        account("team-b", "AK-B", "SK-B");
        CredentialsStore store = new CredentialsStore(Optional.of(new NcpCredentials("AK-D", "SK-D")), Optional.of(dir));
        assertEquals("AK-D", store.find("default").orElseThrow().accessKey());
        assertEquals(new NcpCredentials("AK-B", "SK-B"), store.find("team-b").orElseThrow());
        assertEquals("AK-B", store.findByAccessKey("AK-B").orElseThrow().accessKey());
    }

    @Test
    void aWholeMountedSecretGivesEveryAccount() throws IOException {
        // kubectl create secret generic ncp-credentials --from-literal=default-access-key=... (keys become file names)
        Files.writeString(dir.resolve("default-access-key"), "AK-D");
        Files.writeString(dir.resolve("default-secret-key"), "SK-D");
        Files.writeString(dir.resolve("team-b-access-key"), "AK-B\n");
        Files.writeString(dir.resolve("team-b-secret-key"), "SK-B\n");
        Files.writeString(dir.resolve("half-access-key"), "AK-H");
        CredentialsStore store = new CredentialsStore(Optional.empty(), Optional.of(dir));
        assertEquals(new NcpCredentials("AK-D", "SK-D"), store.find("default").orElseThrow());
        assertEquals(new NcpCredentials("AK-B", "SK-B"), store.find("team-b").orElseThrow());
        assertTrue(store.find("half").isEmpty(), "an account without its secret key is unknown");
        assertEquals("SK-B", store.findByAccessKey("AK-B").orElseThrow().secretKey());
    }

    @Test
    void rotatedFilesAreReadAgain() throws IOException {
        account("team-b", "AK-B", "SK-B");
        CredentialsStore store = new CredentialsStore(Optional.empty(), Optional.of(dir));
        assertEquals("AK-B", store.find("team-b").orElseThrow().accessKey());
        account("team-b", "AK-B2", "SK-B2");
        // same size, so only the time stamp tells them apart
        Files.setLastModifiedTime(dir.resolve("team-b/access-key"), FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(new NcpCredentials("AK-B2", "SK-B2"), store.find("team-b").orElseThrow());
    }

    @Test
    void unknownOrUnsafeAliasesAreUnknownAccounts() throws IOException {
        account("team-b", "AK-B", "SK-B");
        CredentialsStore store = new CredentialsStore(Optional.empty(), Optional.of(dir.resolve("team-b")));
        assertTrue(store.find("nobody").isEmpty());
        assertTrue(store.find("..").isEmpty());
        assertTrue(store.find("../team-b").isEmpty());
        assertEquals("no credentials for account 'nobody'", CredentialsStore.unknownAccount("nobody"));
    }
}
