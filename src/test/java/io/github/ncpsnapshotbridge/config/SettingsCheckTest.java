package io.github.ncpsnapshotbridge.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartupChecksTest {

    @Test
    void placeholderKeysStopTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StartupChecks.refusePlaceholder("REPLACE_WITH_ACCESS_KEY"));
        assertTrue(e.getMessage().contains("placeholder"));
        assertDoesNotThrow(() -> StartupChecks.refusePlaceholder("AKREALKEY0001"));
    }

    @Test
    void productionTakesNoSimulatorAndPlainHttpOnlyToLoopback() {
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.refuseUnsafeProductionSettings("https://ncloud.apigw.ntruss.com/server/v2", true));
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.refuseUnsafeProductionSettings("http://10.0.0.5/server/v2", false));
        for (String ok : new String[] {"https://ncloud.apigw.ntruss.com/server/v2", "http://127.0.0.1:8080/server/v2",
                "http://localhost:9/server/v2", "http://[::1]:9/server/v2"}) {
            assertDoesNotThrow(() -> StartupChecks.refuseUnsafeProductionSettings(ok, false), ok);
        }
    }
}
