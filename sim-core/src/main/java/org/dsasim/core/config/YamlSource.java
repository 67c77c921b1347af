package org.dsasim.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A YAML file to read: a path on disk or a resource packaged with the program. */
abstract class YamlSource {
  private final String displayName;

  private YamlSource(String displayName) {
    this.displayName = displayName;
  }

  /** The name shown in messages and listings. */
  final String displayName() {
    return displayName;
  }

  /** Opens the content; a missing file is a {@link NoSuchFileException}. */
  abstract InputStream open() throws IOException;

  /** The file {@code name} refers to from inside this one ({@code include: name}). */
  abstract YamlSource resolve(String name);

  /** Identifies the file for cycle detection. */
  abstract String identity();

  static YamlSource file(Path path) {
    return file(path, path.toString());
  }

  static YamlSource file(Path path, String displayName) {
    return new FileSource(path, displayName);
  }

  static YamlSource resource(ClassLoader loader, String resourceName) {
    return new ResourceSource(loader, resourceName);
  }

  private static final class FileSource extends YamlSource {
    private final Path path;

    FileSource(Path path, String displayName) {
      super(displayName);
      this.path = path;
    }

    @Override
    InputStream open() throws IOException {
      if (Files.isDirectory(path)) {
        throw new IOException("is a folder, not a file");
      }
      return Files.newInputStream(path);
    }

    @Override
    YamlSource resolve(String name) {
      Path parent = path.getParent();
      Path target = parent == null ? Path.of(name) : parent.resolve(name);
      Path shownParent = Path.of(displayName()).getParent();
      String shown =
          Path.of(name).isAbsolute() || shownParent == null
              ? name
              : shownParent.resolve(name).normalize().toString();
      return new FileSource(target.normalize(), shown);
    }

    @Override
    String identity() {
      return path.toAbsolutePath().normalize().toString();
    }
  }

  private static final class ResourceSource extends YamlSource {
    private final ClassLoader loader;

    ResourceSource(ClassLoader loader, String resourceName) {
      super(resourceName);
      this.loader = loader;
    }

    @Override
    InputStream open() throws IOException {
      URL url = loader.getResource(displayName());
      if (url == null) {
        throw new NoSuchFileException(displayName());
      }
      return url.openStream();
    }

    @Override
    YamlSource resolve(String name) {
      String resolved = URI.create(displayName()).resolve(name).normalize().toString();
      return new ResourceSource(loader, resolved);
    }

    @Override
    String identity() {
      return "classpath:" + displayName();
    }
  }
}
