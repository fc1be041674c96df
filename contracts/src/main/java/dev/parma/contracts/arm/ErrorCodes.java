package dev.parma.contracts.arm;

/** Error codes we return, in one place. ACI's own codes where ACI has one. */
public final class ErrorCodes {

    /** The body is not valid JSON or not of the expected shape. */
    public static final String INVALID_REQUEST_CONTENT = "InvalidRequestContent";
    /** api-version missing or not one we serve. */
    public static final String INVALID_API_VERSION = "InvalidApiVersionParameter";
    /** A resource name breaks the naming rules. */
    public static final String INVALID_RESOURCE_NAME = "InvalidResourceName";
    /** A required property is missing. */
    public static final String MISSING_REQUIRED_PROPERTY = "MissingRequiredProperty";
    /** A property has a value outside its allowed range or set. */
    public static final String INVALID_PROPERTY_VALUE = "InvalidPropertyValue";
    /** The container group has no containers. */
    public static final String CONTAINER_GROUP_WITHOUT_CONTAINERS = "ContainerGroupWithoutContainers";
    /** A container name breaks ACI's naming rules. */
    public static final String INVALID_CONTAINER_NAME = "InvalidContainerName";
    /** Two containers share a name. */
    public static final String DUPLICATE_CONTAINER_NAME = "DuplicateContainerName";
    /** The resource does not exist (or is not visible to the caller). */
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFound";
    /** The operation conflicts with the resource's current state. */
    public static final String CONFLICT = "Conflict";
    /** ACI's code for a bad or missing execution policy. */
    public static final String INVALID_CCE_POLICY = "InvalidCcePolicy";
    /** Something failed on our side; the message never carries internals. */
    public static final String INTERNAL_SERVER_ERROR = "InternalServerError";

    private ErrorCodes() {
    }
}
