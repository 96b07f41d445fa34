import Foundation
import Glibc
import Testing

/// The interactive shell's history file: private, and never written through a symlink.
@Suite struct HistoryTerminalTests {
  @Test func aSymlinkAtTheHistoryPathIsNotFollowedAndTheShellGoesOn() throws {
    let home = try TerminalTests.Home()
    let target = home.path + "/notes.txt"
    try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
    chmod(target, 0o644)
    try FileManager.default.createDirectory(
      atPath: home.path + "/state/sockshell", withIntermediateDirectories: true)
    symlink(target, home.historyFile)

    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment())
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    #expect(
      terminal.text.contains(
        "sockshell: the history file \(home.historyFile) is a symbolic link, which sockshell does not "
          + "follow; this session keeps no history"), "\(terminal.text)")
    terminal.type("strerror 111\r")
    #expect(terminal.waitFor("ECONNREFUSED (111): Connection refused"), "\(terminal.text)")
    // Up still recalls the line: the history lives as long as the session.
    terminal.type("\u{1B}[A\r")
    #expect(terminal.waitFor("ECONNREFUSED (111): Connection refused", count: 2), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)

    #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious\n", "the target was written")
    var info = stat()
    #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o644, "the target's mode changed")
    #expect(lstat(home.historyFile, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
  }

  @Test func anExistingHistoryFileReadableByOthersBecomesPrivate() throws {
    let home = try TerminalTests.Home()
    try FileManager.default.createDirectory(
      atPath: home.path + "/state/sockshell", withIntermediateDirectories: true)
    try "strerror 111\n".write(toFile: home.historyFile, atomically: false, encoding: .utf8)
    chmod(home.historyFile, 0o644)

    let terminal = try PseudoTerminal(Paths.sockshell, environment: home.environment())
    #expect(terminal.waitFor("sockshell> "), "no prompt: \(terminal.text)")
    var info = stat()
    #expect(stat(home.historyFile, &info) == 0 && info.st_mode & 0o777 == 0o600, "mode is not 0600")
    // The file's line is recalled, and not stored again.
    terminal.type("\u{1B}[A\r")
    #expect(terminal.waitFor("ECONNREFUSED (111): Connection refused"), "\(terminal.text)")
    terminal.type("strerror 1\r")
    #expect(terminal.waitFor("EPERM (1)"), "\(terminal.text)")
    terminal.type("\u{04}")
    #expect(terminal.waitForExit() == 0)
    #expect(!terminal.text.contains("history file"), "unexpected message: \(terminal.text)")
    let history = try String(contentsOfFile: home.historyFile, encoding: .utf8)
    #expect(history == "strerror 111\nstrerror 1\n", "history file: \(history)")
    #expect(stat(home.historyFile, &info) == 0 && info.st_mode & 0o777 == 0o600)
  }
}
