import Glibc

/// Writes the session's journal as a program in a language (`export`). The interpreter knows
/// only this much of it: Views/Export writes the programs, and whoever makes the interpreter
/// hands the writer in, as it hands in the recorder.
public typealias ProgramExporter = (_ language: String, _ journal: Journal) throws(ShellError) ->
  ExportedProgram

/// A program `export` wrote, and what it had to leave out.
public struct ExportedProgram: Sendable {
  public var text: String
  /// Said beside the program: calls the journal dropped, calls no writer spells.
  public var notes: [String]
  /// The calls it holds.
  public var calls: Int
  /// The language's name: C, Python, PHP.
  public var language: String
  /// Written from the script's syntax tree, its loops and functions kept (SourceExport), rather
  /// than from the calls one run made.
  public var structured: Bool
  public init(text: String, notes: [String], calls: Int, language: String, structured: Bool = false) {
    self.text = text
    self.notes = notes
    self.calls = calls
    self.language = language
    self.structured = structured
  }

  /// Writes the program to `path` (through a temporary file and a rename), or says why not: an
  /// existing file is replaced only when `overwrites`, and never a directory or anything but a
  /// regular file.
  public func write(to path: String, overwrites: Bool) -> ShellError? {
    guard !path.isEmpty else { return ShellError("export: the file name is empty") }
    guard !path.utf8.contains(0) else { return ShellError("export: the path contains a NUL byte") }
    if FileSystem.isDirectory(path) { return ShellError("export: \(path) is a directory; name a file in it") }
    if let type = FileSystem.linkType(Array(path.utf8)) {
      guard type == S_IFREG else {
        return ShellError("export: \(path) is \(FileSystem.describe(type)); export writes regular files only")
      }
      guard overwrites else { return ShellError("export: \(path) exists; --force replaces it") }
    }
    let parent = FileSystem.parent(path)
    guard parent.isEmpty || FileSystem.isDirectory(parent) else {
      return ShellError("export: there is no folder \(parent) to write \(path) in")
    }
    guard FileSystem.write(text, to: path) else {
      return ShellError("export: cannot write \(path): \(Errno.current.message); nothing was written")
    }
    return nil
  }
}
