package io.github.ncpsnapshotbridge.ncp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;
import io.github.ncpsnapshotbridge.ncp.model.CommonCode;
import io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstance;

/**
 * A snapshot as NCP answered it, on either platform: its fields under NCP's own element names, in NCP's order (codes
 * as {@code {code, codeName}} maps, numbers as numbers, dates as NCP wrote them), plus the few the bridge reads.
 */
public record NcpSnapshot(Platform platform, Map<String, Object> fields) {

    public NcpSnapshot {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String instanceNo() {
        return text("blockStorageSnapshotInstanceNo");
    }

    public String originalVolume() {
        return text("originalBlockStorageInstanceNo");
    }

    /** Classic calls it {@code blockStorageSnapshotInstanceDescription}, VPC {@code blockStorageSnapshotDescription}. */
    public String description() {
        return text(platform == Platform.VPC ? "blockStorageSnapshotDescription" : "blockStorageSnapshotInstanceDescription");
    }

    /** {@code INIT}, {@code CREAT}, {@code TERMT}, {@code NAVAI}…; null when NCP gave none. */
    public String statusCode() {
        return fields.get("blockStorageSnapshotInstanceStatus") instanceof Map<?, ?> code && code.get("code") != null
                ? code.get("code").toString() : null;
    }

    private String text(String field) {
        Object value = fields.get(field);
        return value == null ? null : value.toString();
    }

    static NcpSnapshot of(BlockStorageSnapshot s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("blockStorageSnapshotInstanceNo", s.getBlockStorageSnapshotInstanceNo());
        f.put("blockStorageSnapshotName", s.getBlockStorageSnapshotName());
        f.put("blockStorageSnapshotVolumeSize", s.getBlockStorageSnapshotVolumeSize());
        f.put("originalBlockStorageInstanceNo", s.getOriginalBlockStorageInstanceNo());
        f.put("originalBlockStorageName", s.getOriginalBlockStorageName());
        f.put("blockStorageSnapshotInstanceStatus", code(s.getBlockStorageSnapshotInstanceStatus()));
        f.put("blockStorageSnapshotInstanceOperation", code(s.getBlockStorageSnapshotInstanceOperation()));
        f.put("blockStorageSnapshotInstanceStatusName", s.getBlockStorageSnapshotInstanceStatusName());
        f.put("createDate", s.getCreateDate());
        f.put("blockStorageSnapshotInstanceDescription", s.getBlockStorageSnapshotInstanceDescription());
        f.put("serverImageProductCode", s.getServerImageProductCode());
        f.put("osInformation", s.getOsInformation());
        return new NcpSnapshot(Platform.CLASSIC, f);
    }

    static NcpSnapshot of(BlockStorageSnapshotInstance s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("blockStorageSnapshotInstanceNo", s.getBlockStorageSnapshotInstanceNo());
        f.put("blockStorageSnapshotName", s.getBlockStorageSnapshotName());
        f.put("blockStorageSnapshotVolumeSize", s.getBlockStorageSnapshotVolumeSize());
        f.put("originalBlockStorageInstanceNo", s.getOriginalBlockStorageInstanceNo());
        f.put("blockStorageSnapshotDescription", s.getBlockStorageSnapshotDescription());
        f.put("blockStorageSnapshotInstanceStatus", code(s.getBlockStorageSnapshotInstanceStatus()));
        f.put("blockStorageSnapshotInstanceOperation", code(s.getBlockStorageSnapshotInstanceOperation()));
        f.put("blockStorageSnapshotInstanceStatusName", s.getBlockStorageSnapshotInstanceStatusName());
        f.put("createDate", s.getCreateDate());
        f.put("isEncryptedOriginalBlockStorageVolume", s.isIsEncryptedOriginalBlockStorageVolume());
        f.put("snapshotType", code(s.getSnapshotType()));
        f.put("baseSnapshotInstanceNo", s.getBaseSnapshotInstanceNo());
        f.put("snapshotChainDepth", s.getSnapshotChainDepth());
        f.put("hypervisorType", code(s.getHypervisorType()));
        f.put("blockStorageVolumeType", code(s.getBlockStorageVolumeType()));
        f.put("isBootable", s.isIsBootable());
        return new NcpSnapshot(Platform.VPC, f);
    }

    private static Map<String, Object> code(CommonCode code) {
        return code == null ? null : codeMap(code.getCode(), code.getCodeName());
    }

    private static Map<String, Object> code(io.github.ncpsnapshotbridge.ncp.model.vpc.CommonCode code) {
        return code == null ? null : codeMap(code.getCode(), code.getCodeName());
    }

    private static Map<String, Object> codeMap(String code, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("codeName", name);
        return m;
    }
}
