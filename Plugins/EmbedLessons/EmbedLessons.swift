import Foundation
import PackagePlugin

/// Compiles `lessons/*.md` into the library as Swift source, so a sockshell binary copied or
/// installed anywhere still has its lessons. The files stay the one copy anyone edits; the
/// build regenerates the source whenever one of them changes.
@main
struct EmbedLessons: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let folder = context.package.directoryURL.appending(path: "lessons")
    let lessons = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".md") }.sorted().map { folder.appending(path: $0) }
    let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedLessons.swift")
    return [
      .buildCommand(
        displayName: "Embedding \(lessons.count) lessons in \(target.name)",
        executable: try context.tool(named: "LessonEmbedder").url,
        arguments: [output.path] + lessons.map(\.path),
        inputFiles: lessons,
        outputFiles: [output])
    ]
  }
}
