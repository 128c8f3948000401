package io.github.ncpsnapshotbridge.config;

import io.github.ncpsnapshotbridge.events.AmqpContentType;
import io.github.ncpsnapshotbridge.events.SinkMessages;
import io.github.ncpsnapshotbridge.intake.AmqpMessages;
import io.github.ncpsnapshotbridge.intake.InboxFiles;
import io.github.ncpsnapshotbridge.intake.KafkaRecords;
import io.github.ncpsnapshotbridge.ncp.HttpReply;
import io.github.ncpsnapshotbridge.ncp.SignedCall;
import io.github.ncpsnapshotbridge.ncp.XmlAnswers;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshot;
import io.github.ncpsnapshotbridge.ncp.model.BlockStorageSnapshotInstanceList;
import io.github.ncpsnapshotbridge.ncp.model.CommonCode;
import io.github.ncpsnapshotbridge.ncp.model.CreateBlockStorageSnapshotInstanceResponse;
import io.github.ncpsnapshotbridge.ncp.model.GetBlockStorageSnapshotInstanceListResponse;
import io.github.ncpsnapshotbridge.ncp.model.ObjectFactory;
import io.github.ncpsnapshotbridge.ncp.model.ResponseError;
import io.github.ncpsnapshotbridge.pipeline.ClaimedRequest;
import io.github.ncpsnapshotbridge.pipeline.InFlight;
import io.github.ncpsnapshotbridge.pipeline.RequestClaims;
import io.github.ncpsnapshotbridge.pipeline.SnapshotCreation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep reachable by reflection: the JAXB model (bound at run time from the XSD-generated
 * classes) and the step beans whose methods Camel's bean binding calls by name. JSON is built as trees, so no
 * Jackson-mapped classes are needed.
 */
@RegisterForReflection(targets = {
        CreateBlockStorageSnapshotInstanceResponse.class, GetBlockStorageSnapshotInstanceListResponse.class,
        ResponseError.class, BlockStorageSnapshotInstanceList.class, BlockStorageSnapshot.class, CommonCode.class,
        ObjectFactory.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.CreateBlockStorageSnapshotInstanceResponse.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.GetBlockStorageSnapshotInstanceListResponse.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.ResponseError.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstanceList.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.BlockStorageSnapshotInstance.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.CommonCode.class,
        io.github.ncpsnapshotbridge.ncp.model.vpc.ObjectFactory.class,
        InFlight.class, RequestClaims.class, SnapshotCreation.class, ClaimedRequest.class, XmlAnswers.class,
        SinkMessages.class,
        InboxFiles.class, KafkaRecords.class, AmqpMessages.class, AmqpContentType.class,
        SignedCall.class, HttpReply.class, AmqpAddressResolver.class,
        io.github.ncpsnapshotbridge.ncp.CreateAttempts.Send.class, io.github.ncpsnapshotbridge.ncp.CreateAttempts.LookUp.class,
        io.github.ncpsnapshotbridge.ncp.CreateAttempts.Wait.class, io.github.ncpsnapshotbridge.ncp.CreateAttempts.Finish.class,
        RequestClaims.Acceptance.class, io.github.ncpsnapshotbridge.httpapi.Submissions.class,
        io.github.ncpsnapshotbridge.httpapi.RequestStatuses.class, io.github.ncpsnapshotbridge.httpapi.ApiTokens.class })
public final class NativeReflection {

    private NativeReflection() {
    }
}
