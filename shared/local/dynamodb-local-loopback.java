import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs DynamoDB Local listening on 127.0.0.1 only. Its own main builds Jetty with
 * `new Server(port)`, which listens on every interface, and it has no flag or system property
 * for the address: anyone on the network could then read and rewrite the vault's table. So this
 * builds the server the same way (same arguments), points its connector at loopback and starts
 * it. Compiled once per checkout and started by shared/local/dynamodb-local-java.ts.
 *
 * Unlike DynamoDB Local's main, this never configures its telemetry: nothing is sent to AWS.
 */
class DynamoDbLocalLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    // A private field: if an upgrade renames it, this fails at start instead of listening wide.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Connector[] connectors = ((Server) field.get(proxy)).getConnectors();
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local built no connector");
    for (Connector connector : connectors) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
  }
}
