package dev.parma.attestation;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Calls the attest endpoint and reads tokens. */
public final class Tokens {

    private Tokens() {
    }

    public static ValidatableResponse attest(Object body) {
        return attest("/attest/SevSnpVm", "2022-08-01", body.toString());
    }

    public static ValidatableResponse attest(String path, String apiVersion, String body) {
        var spec = given().contentType(ContentType.JSON).body(body);
        if (apiVersion != null) {
            spec = spec.queryParam("api-version", apiVersion);
        }
        return spec.post(path).then();
    }

    public static String token(ObjectNode body) {
        return attest(body).statusCode(200).extract().path("token");
    }

    public static JsonNode header(String jwt) {
        return part(jwt, 0);
    }

    public static JsonNode payload(String jwt) {
        return part(jwt, 1);
    }

    private static JsonNode part(String jwt, int i) {
        try {
            return Requests.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
