package org.dsasim.core.config;

/**
 * Contributes a module's configuration keys and cross-key checks to the schema. Implementations are
 * found with {@link java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/org.dsasim.core.config.ConfigSchemaProvider} of the module's resources. They
 * need a public no-argument constructor.
 */
public interface ConfigSchemaProvider {
  /** Declares this module's keys ({@link ConfigSchema.Builder#add}) and checks. */
  void contribute(ConfigSchema.Builder schema);
}
