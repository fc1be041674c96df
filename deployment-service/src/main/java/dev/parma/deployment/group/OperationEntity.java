package dev.parma.deployment.group;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An ARM asynchronous operation: the target of Azure-AsyncOperation. status: InProgress, Succeeded, Failed. */
@Entity
@Table(name = "operations")
public class OperationEntity extends PanacheEntityBase {

    public static final String IN_PROGRESS = "InProgress";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    @Id
    public String id;
    @Column(name = "group_id")
    public String groupId;
    @Column(name = "resource_id")
    public String resourceId;
    @Column(name = "subscription_id")
    public String subscriptionId;
    public String kind;
    public String status;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_message")
    public String errorMessage;
    /** JSON array of CloudErrorBody, for failures with several causes. */
    @Column(name = "error_details")
    public String errorDetails;
    @Column(name = "start_time")
    public Instant startTime;
    @Column(name = "end_time")
    public Instant endTime;

    /** Ends every in-progress operation of a group. */
    public static void complete(String groupId, String status, String errorCode, String errorMessage, Instant at) {
        complete(groupId, status, errorCode, errorMessage, null, at);
    }

    /** Ends every in-progress operation of a group, with structured error details (JSON) when it failed. */
    public static void complete(String groupId, String status, String errorCode, String errorMessage,
            String errorDetails, Instant at) {
        update("status = ?1, errorCode = ?2, errorMessage = ?3, errorDetails = ?4, endTime = ?5 where groupId = ?6"
                + " and status = ?7", status, errorCode, errorMessage, errorDetails, at, groupId, IN_PROGRESS);
    }
}
