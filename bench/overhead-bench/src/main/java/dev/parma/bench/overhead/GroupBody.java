package dev.parma.bench.overhead;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parma.contracts.Json;
import dev.parma.contracts.node.Isolation;
import java.util.List;

/**
 * The ARM body of one run: a one-container busybox group that runs the workload once ({@code restartPolicy Never}),
 * tagged with its workload name (the nodes account overhead per this tag). Confidential groups carry the policy.
 */
final class GroupBody {

    static final double CPU = 1.0;
    static final double MEMORY_GB = 1.0;

    private GroupBody() {
    }

    static String of(String workload, String image, List<String> command, Isolation isolation, String ccePolicy) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("location", "westeurope");
        body.putObject("tags").put("workload", workload);
        ObjectNode props = body.putObject("properties");
        props.put("sku", isolation == Isolation.CONFIDENTIAL ? "Confidential" : "Standard");
        if (isolation == Isolation.CONFIDENTIAL) {
            props.putObject("confidentialComputeProperties").put("ccePolicy", ccePolicy);
        }
        props.put("osType", "Linux");
        props.put("restartPolicy", "Never");
        ObjectNode c = props.putArray("containers").addObject();
        c.put("name", workload);
        ObjectNode cp = c.putObject("properties");
        cp.put("image", image);
        var cmd = cp.putArray("command");
        command.forEach(cmd::add);
        cp.putObject("resources").putObject("requests").put("cpu", CPU).put("memoryInGB", MEMORY_GB);
        return body.toString();
    }
}
