// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "sockshell",
  products: [
    .executable(name: "sockshell", targets: ["sockshell"]),
    .library(name: "SockShellKit", targets: ["SockShellKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),
    .target(
      name: "SockShellKit",
      dependencies: ["CReadline"],
      // The lessons travel inside the binary (see Plugins/EmbedLessons).
      plugins: ["EmbedLessons"]
    ),
    .executableTarget(name: "LessonEmbedder"),
    .plugin(name: "EmbedLessons", capability: .buildTool(), dependencies: ["LessonEmbedder"]),
    .executableTarget(
      name: "sockshell",
      dependencies: [
        "SockShellKit",
        "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "SockShellKitTests",
      dependencies: ["SockShellKit"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
