import Foundation
import Glibc
import Testing
@testable import SockShellKit

/// The history file as sockshell opens it: never through a symlink, always private.
@Suite struct HistoryFileTests {
  /// A temporary folder, removed with everything in it.
  final class Folder {
    let path: String
    init() throws {
      path =
        FileManager.default.temporaryDirectory.appendingPathComponent(
          "sockshell-history-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String, mode: mode_t) throws {
      try text.write(toFile: path + "/" + name, atomically: false, encoding: .utf8)
      chmod(path + "/" + name, mode)
    }

    func read(_ name: String) -> String? { try? String(contentsOfFile: path + "/" + name, encoding: .utf8) }

    func mode(_ name: String) -> mode_t {
      var info = stat()
      return lstat(path + "/" + name, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    func isSymlink(_ name: String) -> Bool {
      var info = stat()
      return lstat(path + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
  }

  @Test func aSymlinkAtTheHistoryPathIsRefusedAndItsTargetLeftAlone() throws {
    let folder = try Folder()
    try folder.write("target", "precious\n", mode: 0o644)
    symlink(folder.path + "/target", folder.path + "/history")
    guard case .failure(let refusal) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("a symlink was opened as the history file")
      return
    }
    #expect(
      refusal.message
        == "the history file \(folder.path)/history is a symbolic link, which sockshell does not follow; "
        + "this session keeps no history")
    #expect(folder.read("target") == "precious\n")
    #expect(folder.mode("target") == 0o644)
    #expect(folder.isSymlink("history"))
  }

  @Test func anExistingFileReadableByOthersBecomesPrivateAndKeepsItsLines() throws {
    let folder = try Folder()
    try folder.write("history", "strerror 1\nhelp bind\n", mode: 0o644)
    guard case .success(let opened) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("the history file was refused")
      return
    }
    #expect(opened.lines == ["strerror 1", "help bind"])
    #expect(folder.mode("history") == 0o600)
    #expect(folder.read("history") == "strerror 1\nhelp bind\n")
  }

  @Test func aMissingFileIsMadePrivateInFoldersOfTheUsersOwn() throws {
    let folder = try Folder()
    let path = folder.path + "/state/sockshell/history"
    guard case .success(let opened) = HistoryFile.open(path) else {
      Issue.record("the history file was not made")
      return
    }
    #expect(opened.lines.isEmpty)
    #expect(folder.mode("state/sockshell/history") == 0o600)
    #expect(folder.mode("state/sockshell") == 0o700)
    #expect(opened.file.append("strerror 1") == nil)
    #expect(opened.file.append("help") == nil)
    #expect(folder.read("state/sockshell/history") == "strerror 1\nhelp\n")
  }

  @Test func anAppendRefusesAFileSwappedForASymlink() throws {
    let folder = try Folder()
    guard case .success(let opened) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("the history file was refused")
      return
    }
    try folder.write("target", "precious\n", mode: 0o644)
    unlink(folder.path + "/history")
    symlink(folder.path + "/target", folder.path + "/history")
    #expect(opened.file.append("strerror 1")?.message.contains("is a symbolic link") == true)
    #expect(folder.read("target") == "precious\n")
  }

  @Test func otherKindsOfFileAreRefused() throws {
    let folder = try Folder()
    mkfifo(folder.path + "/fifo", 0o600)
    mkdir(folder.path + "/folder", 0o700)
    for (name, kind) in [("fifo", "a FIFO"), ("folder", "a directory")] {
      guard case .failure(let refusal) = HistoryFile.open(folder.path + "/" + name) else {
        Issue.record("\(kind) was opened as the history file")
        continue
      }
      #expect(refusal.message.contains("is \(kind), not a regular file"), "\(refusal.message)")
    }
  }

  @Test func aLongHistoryIsCutToItsLastLines() throws {
    let folder = try Folder()
    let lines = (0..<(History.limit + 5)).map { "strerror \($0)" }
    try folder.write("history", lines.joined(separator: "\n") + "\n", mode: 0o600)
    guard case .success(let opened) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("the history file was refused")
      return
    }
    #expect(opened.lines == Array(lines.suffix(History.limit)))
    #expect(folder.read("history") == lines.suffix(History.limit).joined(separator: "\n") + "\n")
  }

  @Test func aBlockTypedOverSeveralLinesComesBackWhole() throws {
    let folder = try Folder()
    guard case .success(let opened) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("the history file was refused")
      return
    }
    let block = "for ($i = 0; $i < 2; $i++) {\n  echo $i;\n\n}"
    #expect(opened.file.append(block) == nil)
    #expect(opened.file.append("strerror 1") == nil)
    // One entry per line still, its newlines held as CR LF.
    #expect(folder.read("history") == block.replacingOccurrences(of: "\n", with: "\r\n") + "\nstrerror 1\n")
    guard case .success(let reopened) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("the history file was refused")
      return
    }
    #expect(reopened.lines == [block, "strerror 1"])
  }

  @Test func aHistoryCutInsideABlockDropsAllOfThatBlock() throws {
    let folder = try Folder()
    // The file is longer than what is read of it: reading starts inside the block's first line.
    let half = HistoryFile.readLimit * 3 / 5
    let block = "# " + String(repeating: "x", count: half) + "\r\n# " + String(repeating: "y", count: half)
    try folder.write("history", block + "\nstrerror 1\n", mode: 0o600)
    guard case .success(let opened) = HistoryFile.open(folder.path + "/history") else {
      Issue.record("the history file was refused")
      return
    }
    #expect(opened.lines == ["strerror 1"])
    #expect(folder.read("history") == "strerror 1\n")
  }
}
