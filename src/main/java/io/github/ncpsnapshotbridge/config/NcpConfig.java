package io.github.ncpsnapshotbridge.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * NCP's own settings, under the names NCP's tools use ({@code NCP_API_URL}, {@code NCP_ACCESS_KEY},
 * {@code NCP_SECRET_KEY}).
 */
@ConfigMapping(prefix = "ncp")
public interface NcpConfig {

    /** Base URL of the Server API, base path included (it is part of what gets signed). */
    @WithDefault("https://ncloud.apigw.ntruss.com/server/v2")
    String apiUrl();

    /** Access key of account {@code default}. */
    Optional<String> accessKey();

    /** Secret key of account {@code default}. */
    Optional<String> secretKey();
}
