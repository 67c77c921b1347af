package org.dsasim.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where preset files live: {@code configs/<group>/<name>.yaml}, packaged in the application jar
 * ({@link #classpath}) or in a folder ({@link #directory}). The group is the name of the preset key
 * ({@code hardware}, {@code model}, {@code workload}).
 */
public abstract class PresetLibrary {
  /** The folder (and resource prefix) presets are kept under. */
  public static final String ROOT = "configs";

  /** A file that every packaged preset tree has; it locates the tree on the class path. */
  static final String MARKER = ROOT + "/README.md";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private PresetLibrary() {}

  /** Presets packaged as resources {@code configs/...} of {@code loader}'s class path. */
  public static PresetLibrary classpath(ClassLoader loader) {
    return new ClasspathLibrary(loader);
  }

  /** Presets in {@code configsDir}/&lt;group&gt;/&lt;name&gt;.yaml. */
  public static PresetLibrary directory(Path configsDir) {
    return new DirectoryLibrary(configsDir);
  }

  /** The preset file, if there is one by that name. */
  final Optional<YamlSource> find(String group, String name) {
    if (!NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    return locate(group, name);
  }

  /** The names of a group's presets, sorted. */
  public abstract List<String> available(String group);

  abstract Optional<YamlSource> locate(String group, String name);

  static String fileName(String group, String name) {
    return ROOT + "/" + group + "/" + name + ".yaml";
  }

  private static List<String> sortedNames(Stream<String> fileNames) {
    List<String> names = new ArrayList<>();
    fileNames
        .filter(f -> f.endsWith(".yaml") && NAME.matcher(f).matches())
        .forEach(f -> names.add(f.substring(0, f.length() - ".yaml".length())));
    Collections.sort(names);
    return names;
  }

  private static List<String> listFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return sortedNames(files.map(p -> p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list presets in " + folder, e);
    }
  }

  private static final class DirectoryLibrary extends PresetLibrary {
    private final Path root;

    DirectoryLibrary(Path root) {
      this.root = root;
    }

    @Override
    public List<String> available(String group) {
      return listFolder(root.resolve(group));
    }

    @Override
    Optional<YamlSource> locate(String group, String name) {
      Path file = root.resolve(group).resolve(name + ".yaml");
      return Files.isRegularFile(file)
          ? Optional.of(YamlSource.file(file, fileName(group, name)))
          : Optional.empty();
    }
  }

  private static final class ClasspathLibrary extends PresetLibrary {
    private final ClassLoader loader;

    ClasspathLibrary(ClassLoader loader) {
      this.loader = loader;
    }

    @Override
    public List<String> available(String group) {
      URL marker = loader.getResource(MARKER);
      if (marker == null) {
        return List.of();
      }
      try {
        if (marker.getProtocol().equals("jar")) {
          String prefix = ROOT + "/" + group + "/";
          JarURLConnection connection = (JarURLConnection) marker.openConnection();
          connection.setUseCaches(false);
          List<String> files = new ArrayList<>();
          try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
              String entry = entries.nextElement().getName();
              if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0) {
                files.add(entry.substring(prefix.length()));
              }
            }
          }
          return sortedNames(files.stream());
        }
        if (marker.getProtocol().equals("file")) {
          return listFolder(Path.of(marker.toURI()).getParent().resolve(group));
        }
        return List.of();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list the packaged presets", e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    Optional<YamlSource> locate(String group, String name) {
      String resource = fileName(group, name);
      return loader.getResource(resource) == null
          ? Optional.empty()
          : Optional.of(YamlSource.resource(loader, resource));
    }
  }
}
