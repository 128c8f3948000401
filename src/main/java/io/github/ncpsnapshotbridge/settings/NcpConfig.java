package io.github.ncpsnapshotbridge.settings;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * NCP's own settings, under the names NCP's tools use ({@code NCP_API_URL}, {@code NCP_VPC_API_URL},
 * {@code NCP_ACCESS_KEY}, {@code NCP_SECRET_KEY}, {@code NCP_PLATFORM}, {@code NCP_REGION_CODE}).
 */
@ConfigMapping(prefix = "ncp")
public interface NcpConfig {

    /** Base URL of the Server API, base path included (it is part of what gets signed). */
    @WithDefault("https://ncloud.apigw.ntruss.com/server/v2")
    String apiUrl();

    /** Base URL of the VPC Server API (gov: {@code https://ncloud.apigw.gov-ntruss.com/vserver/v2}). */
    @WithDefault("https://ncloud.apigw.ntruss.com/vserver/v2")
    String vpcApiUrl();

    /** The platform of accounts that name none ({@code <alias>/platform}): {@code classic} or {@code vpc}. */
    @WithDefault("classic")
    String platform();

    /** The VPC region of requests that name none. */
    @WithDefault("KR")
    String regionCode();

    /** Access key of account {@code default}. */
    Optional<String> accessKey();

    /** Secret key of account {@code default}. */
    Optional<String> secretKey();
}
