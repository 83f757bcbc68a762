package dev.sluice.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import dev.sluice.bus.LoaderReply;
import dev.sluice.config.ClusterConfig;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.node.Node;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The one place a node is built (the process's, and every test's that runs the service): its {@code
 * Vertx}, with Micrometer metrics into a Prometheus registry when {@code
 * lazy_loading.enable_metrics} is on, clustered with Hazelcast when {@code cluster.enabled} is, and
 * the {@link Node} its verticles share.
 */
public final class Nodes {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Nodes.class);

  private static final java.util.Set<String> METHODS =
      java.util.Set.of(
          "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private Nodes() {}

  /**
   * The Hazelcast configuration of a clustered node: {@code cluster.xml} from the configuration
   * directory (else the one packaged with Sluice), with the cluster name, interface, port and
   * members of the {@code cluster} section.
   */
  static Config hazelcast(ClusterConfig cluster) {
    Path file =
        Path.of(
            System.getenv().getOrDefault(ConfigLoader.CONF_DIR_VARIABLE, "conf"), "cluster.xml");
    Config config;
    try {
      config =
          Files.isRegularFile(file)
              ? new XmlConfigBuilder(file.toString()).build()
              : ConfigUtil.loadConfig();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    config.setClusterName(cluster.name());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    // Hazelcast takes an interface only as an address: a host name (a container's service name) is
    // resolved here
    network.getInterfaces().setEnabled(true).clear().addInterface(address(cluster.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }

  /** {@code host} as an IP address, resolved once at start. */
  static String address(String host) {
    try {
      return java.net.InetAddress.getByName(host).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(
          "cluster.host '" + host + "' does not resolve to an address of this node", e);
    }
  }

  /**
   * Builds a node as {@code settings} say; call it off Vert.x's threads. Closing the node closes
   * its Vert.x.
   */
  public static Node start(SluiceConfig settings) {
    // Netty's epoll transport where it is available (Linux x86-64, bundled), NIO elsewhere
    VertxOptions options =
        new VertxOptions().setPreferNativeTransport(settings.http().nativeTransport());
    VertxBuilder builder = Vertx.builder();
    PrometheusMeterRegistry registry = null;
    if (settings.lazy().enableMetrics()) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // any token is an HTTP method to Vert.x: a client inventing methods must not invent series
      registry
          .config()
          .meterFilter(
              MeterFilter.replaceTagValues(
                  "method", method -> METHODS.contains(method) ? method : "OTHER"));
      options.setMetricsOptions(
          new MicrometerMetricsOptions()
              .setEnabled(true)
              .setJvmMetricsEnabled(true)
              // a name of its own: Vert.x keeps registries by name for the whole JVM, and a test
              // JVM runs several nodes
              .setRegistryName("sluice-" + UUID.randomUUID())
              .addLabels(Label.HTTP_ROUTE)
              .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    Vertx vertx;
    HazelcastClusterManager manager = null;
    if (settings.cluster().enabled()) {
      options
          .getEventBusOptions()
          .setHost(address(settings.cluster().host()))
          .setPort(settings.cluster().busPort());
      manager = new HazelcastClusterManager(hazelcast(settings.cluster()));
      vertx = builder.with(options).withClusterManager(manager).buildClustered().await();
    } else {
      vertx = builder.with(options).build();
    }
    LOG.info("node.transport {}", vertx.isNativeTransportEnabled() ? "epoll" : "nio");
    return Node.create(vertx, settings, registry, manager, LoaderReply::fromPortable);
  }
}
