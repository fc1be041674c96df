package dev.parma.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@DeploymentTestResources
class ContainerGroupValidationTest {

    static final String PATH = "/subscriptions/sub-v/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/";

    static String group(String containers) {
        return "{\"location\":\"westeurope\",\"properties\":{\"containers\":" + containers + "}}";
    }

    static String container(String name, String extra) {
        return "{\"name\":\"" + name + "\",\"properties\":{\"image\":\"busybox\",\"command\":[\"true\"],"
                + "\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}" + extra + "}}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"-abc", "abc-", "Abc", "a_b", "a.b",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void groupNamesBreakingAciRulesAreRejected(String name) {
        given().contentType(ContentType.JSON).body(group("[" + container("c", "") + "]"))
                .put(PATH + name + "?api-version=2025-09-01")
                .then().statusCode(400)
                .body("error.code", equalTo("InvalidResourceName"))
                .body("error.target", equalTo("name"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid JSON|{\"location\":|InvalidRequestContent|",
            "not an object|[1,2]|InvalidRequestContent|",
            "no containers|{\"location\":\"westeurope\",\"properties\":{\"containers\":[]}}|ContainerGroupWithoutContainers|properties.containers",
            "containers missing|{\"location\":\"westeurope\",\"properties\":{}}|ContainerGroupWithoutContainers|properties.containers",
            "no properties|{\"location\":\"westeurope\"}|MissingRequiredProperty|properties",
            "no location|{\"properties\":{\"containers\":[]}}|MissingRequiredProperty|location",
            "cpu not a number|{\"location\":\"w\",\"properties\":{\"containers\":[{\"name\":\"c\",\"properties\":{\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"lots\",\"memoryInGB\":1}}}}]}}|InvalidRequestContent|properties.containers[0].properties.resources.requests.cpu",
            "missing image|{\"location\":\"w\",\"properties\":{\"containers\":[{\"name\":\"c\",\"properties\":{\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}]}}|MissingRequiredProperty|properties.containers[0].properties.image",
            "missing resources|{\"location\":\"w\",\"properties\":{\"containers\":[{\"name\":\"c\",\"properties\":{\"image\":\"i\"}}]}}|MissingRequiredProperty|properties.containers[0].properties.resources.requests",
            "bad container name|{\"location\":\"w\",\"properties\":{\"containers\":[{\"name\":\"Web\",\"properties\":{\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}]}}|InvalidContainerName|properties.containers[0].name",
            "unknown sku|{\"location\":\"w\",\"properties\":{\"sku\":\"Gold\",\"containers\":[{\"name\":\"c\",\"properties\":{\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}]}}|InvalidPropertyValue|properties.sku",
            "confidential without policy|{\"location\":\"w\",\"properties\":{\"sku\":\"confidential\",\"containers\":[{\"name\":\"c\",\"properties\":{\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}]}}|InvalidCcePolicy|properties.confidentialComputeProperties.ccePolicy",
            "confidential with bad base64|{\"location\":\"w\",\"properties\":{\"sku\":\"Confidential\",\"confidentialComputeProperties\":{\"ccePolicy\":\"%%%\"},\"containers\":[{\"name\":\"c\",\"properties\":{\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}]}}|InvalidCcePolicy|properties.confidentialComputeProperties.ccePolicy",
    })
    void badBodiesGetCloudErrorsNamingTheField(String why, String body, String code, String target) {
        var response = given().contentType(ContentType.JSON).body(body)
                .put(PATH + "bad-input?api-version=2025-09-01")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.code", equalTo(code))
                .body("error.message", containsString(" "));
        if (target == null) {
            response.body("error.target", nullValue());
        } else {
            response.body("error.target", equalTo(target));
        }
    }

    @org.junit.jupiter.api.Test
    void duplicateContainerNamesAreRejected() {
        given().contentType(ContentType.JSON)
                .body(group("[" + container("web", "") + "," + container("web", "") + "]"))
                .put(PATH + "dup?api-version=2025-09-01")
                .then().statusCode(400)
                .body("error.code", equalTo("DuplicateContainerName"))
                .body("error.target", equalTo("properties.containers[1].name"));
    }

    @org.junit.jupiter.api.Test
    void unknownGroupIs404CloudError() {
        given().get(PATH + "nothing-here?api-version=2025-09-01")
                .then().statusCode(404).body("error.code", equalTo("ResourceNotFound"));
        given().delete(PATH + "nothing-here?api-version=2025-09-01").then().statusCode(204);
    }
}
