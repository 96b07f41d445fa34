import Foundation
import Testing
@testable import SockShellKit

/// Every lesson checked against the real kernel through the built binary, each on a port of
/// its own; and the checker shown to fail on a wrong transcript.
@Suite struct LessonTests {
  static let lessonsDirectory = Paths.packageRoot.appendingPathComponent("lessons").path

  static var lessonNames: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: lessonsDirectory)) ?? [])
      .filter { $0.hasSuffix(".md") }.sorted().map { String($0.dropLast(3)) }
  }

  func check(_ arguments: [String]) throws -> ProcessResult {
    try runProcess(Paths.sockshell, ["lesson", "--check"] + arguments, timeout: 60)
  }

  /// The IPv6 lessons need ::1, which a machine without IPv6 lacks: they are a test of their own,
  /// skipped there.
  static func needsIPv6(_ name: String) -> Bool { name.contains("ipv6") }

  @Test(arguments: LessonTests.lessonNames.filter { !needsIPv6($0) })
  func everyLessonPassesItsCheck(name: String) throws {
    try expectCheckPasses(name)
  }

  @Test(
    .enabled(if: MessagesTests.loopback6Works(), "no ::1 on this machine"),
    arguments: LessonTests.lessonNames.filter(needsIPv6))
  func everyIPv6LessonPassesItsCheck(name: String) throws {
    try expectCheckPasses(name)
  }

  func expectCheckPasses(_ name: String) throws {
    let result = try check([name, "--set", "port=\(freePort())"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.hasPrefix("ok    "))
  }

  @Test func everyFunctionOfTheTutorialsTableIsUsedInALesson() throws {
    var inputs = ""
    for name in Self.lessonNames {
      let text = try String(contentsOfFile: Self.lessonsDirectory + "/\(name).md", encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("sockshell> ") { inputs += line + "\n" }
    }
    let words = Set(inputs.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map { $0.lowercased() })
    for function in CommandTableTests.tutorialFunctions {
      let spec = try #require(CommandTable.standard.lookup("socket_" + function))
      let names = ([spec.name] + spec.aliases).map { $0.lowercased() }
      #expect(names.contains(where: words.contains), "no lesson uses socket_\(function)")
    }
  }

  @Test func thereAreTheFiveLessonsOfTheReverseExercise() {
    #expect(
      Array(Self.lessonNames.prefix(5)) == [
        "01-reverse-server", "02-reverse-client", "03-reverse-one-session", "04-errors",
        "05-nonblocking-and-select",
      ])
  }

  @Test func serverAndClientLessonsInTwoProcesses() throws {
    let port = freePort()
    // Each runs as a learner would run it in a terminal of its own: no peers started for them.
    let server = try Subprocess(
      Paths.sockshell, ["lesson", "1", "--check", "--as-peer", "--set", "port=\(port)"])
    #expect(ListeningPorts.wait(for: port, seconds: 10))
    let client = try check(["2", "--as-peer", "--set", "port=\(port)"])
    let served = server.finish(timeout: 30)
    #expect(client.status == 0, "\(client.stdout)")
    #expect(served.status == 0, "\(served.stdout)")
    #expect(served.stdout.hasPrefix("ok    ") && served.stdout.contains("01-reverse-server.md (9 steps)"))
  }

  @Test func aWrongTranscriptFailsWithADiffAndUpdateMendsIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-lessons-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try String(contentsOfFile: Self.lessonsDirectory + "/04-errors.md", encoding: .utf8)
    let broken = original.replacingOccurrences(
      of: "#1 $client: ECONNREFUSED (111) Connection refused — from connect",
      with: "#1 $client: ETIMEDOUT (110) Connection timed out — from connect")
    #expect(broken != original)
    let path = folder.appendingPathComponent("04-errors.md").path
    try broken.write(toFile: path, atomically: true, encoding: .utf8)

    let failed = try check([path])
    #expect(failed.status == 1)
    #expect(failed.stdout.contains("FAIL  \(path) (1 of 23 steps differ)"))
    #expect(failed.stdout.contains("--- \(path):20 expected"))
    #expect(failed.stdout.contains("-#1 $client: ETIMEDOUT (110) Connection timed out — from connect"))
    #expect(failed.stdout.contains("+#1 $client: ECONNREFUSED (111) Connection refused — from connect"))

    let updated = try runProcess(Paths.sockshell, ["lesson", "--update", path], timeout: 60)
    #expect(updated.status == 0, "\(updated.stdout)")
    #expect(updated.stdout.contains("updated \(path) (1 steps)"))
    // The update restored the real output and kept every wildcard line as it was.
    #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    #expect(try check([path]).status == 0)
  }

  @Test func lessonsAreFoundFromAnyWorkingDirectoryOrWhereTheEnvironmentSays() throws {
    let elsewhere = try runProcess("/usr/bin/env", ["-C", "/", Paths.sockshell, "lessons"])
    #expect(elsewhere.stdout.contains("Lessons in \(Self.lessonsDirectory)"), "\(elsewhere.stderr)")
    let empty = FileManager.default.temporaryDirectory
      .appendingPathComponent("sockshell-empty-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: empty) }
    let overridden = try runProcess(
      "/usr/bin/env", ["SOCKSHELL_LESSONS=\(empty)", Paths.sockshell, "lessons"])
    #expect(overridden.stdout == "no lessons in \(empty)\n")
  }

  @Test func lessonsListsThemWithTitles() throws {
    let result = try runProcess(Paths.sockshell, ["lessons"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("01  01-reverse-server"))
    #expect(result.stdout.contains("Lesson 1: the reverse-string server"))
  }

  @Test func aLessonIsFoundByNumberStemOrShortName() throws {
    for name in ["3", "03", "03-reverse-one-session", "reverse-one-session"] {
      let result = try check([name, "--set", "port=\(freePort())"])
      #expect(
        result.stdout.contains("03-reverse-one-session.md"), "\(name): \(result.stdout)\(result.stderr)")
    }
    let unknown = try check(["no-such-lesson"])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.contains("no lesson 'no-such-lesson'"))
  }

  @Test func stepModeRunsTheLearnersOwnLineBesideTheLessons() throws {
    // A typed line runs in addition to the step (here the first, `$port ??= 5353`), which is
    // then offered again; Enter runs it, and the lesson goes on.
    let typed = "strerror 113\n" + String(repeating: "\n", count: 40)
    let result = try runProcess(
      Paths.sockshell, ["lesson", "3", "--step", "--set", "port=\(freePort())"], stdin: typed, timeout: 60)
    #expect(result.status == 0)
    #expect(result.stdout.contains("EHOSTUNREACH (113): No route to host"))
    #expect(
      result.stdout.components(separatedBy: "sockshell> $port ??= 5353\n").count == 3, "\(result.stdout)")
    #expect(result.stdout.contains("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3"))
    #expect(result.stdout.contains("Reply from server:oahcgnoix"))
  }

  @Test func aPlayedClientLessonStopsAtOrDieWhenNoServerListens() throws {
    let result = try runProcess(Paths.sockshell, ["lesson", "2", "--set", "port=\(freePort())"], timeout: 30)
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("ECONNREFUSED"))
    #expect(result.stdout.contains("Could not connect to server\n"))
    #expect(result.stderr.contains("sockshell: lesson 02-reverse-client stopped at line 28"))
    // It did not go on to write and read on a socket that never connected.
    #expect(!result.stdout.contains("EPIPE") && !result.stdout.contains("ENOTCONN"), "\(result.stdout)")
  }

  @Test func aPlayedServerLessonStopsAtOrDieWhenItsPortIsTaken() throws {
    // The port is held as a server run a moment ago would hold it; bind fails with EADDRINUSE.
    let holder = loopbackSocket(listening: true)
    defer { close(holder) }
    let port = boundPort(holder)
    let result = try runProcess(Paths.sockshell, ["lesson", "1", "--set", "port=\(port)"], timeout: 20)
    #expect(!result.timedOut, "the lesson went on to wait in accept: \(result.stdout)")
    #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("EADDRINUSE"))
    #expect(result.stdout.contains("Could not bind to socket\n"))
    #expect(!result.stdout.contains("accept("))
  }

  @Test func aLessonNameCannotReachOutsideTheLibrary() throws {
    let escaped = try runProcess(Paths.sockshell, ["lesson", "../../../../../../etc/passwd"])
    #expect(escaped.status == 2)
    #expect(escaped.stderr.contains("is not a lesson"), "\(escaped.stderr)")
    #expect(!escaped.stdout.contains("root:"), "the file was shown")
    let notMarkdown = try runProcess(Paths.sockshell, ["lesson", "/etc/passwd"])
    #expect(notMarkdown.status == 2)
    #expect(!notMarkdown.stdout.contains("root:"))

    // The shell's `lesson` takes names only.
    let shell = try runSockshell("lesson \"../../../../../../etc/passwd\"\nlesson \"/etc/passwd\"\n")
    #expect(!shell.stdout.contains("root:"), "the file was shown")
    #expect(shell.stderr.components(separatedBy: "is not a lesson name").count == 3, "\(shell.stderr)")
  }

  @Test func theCheckersPeerEndsWhenTheCheckerIsKilled() throws {
    // Two lessons that wait a minute: the first starts the second as its peer.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-peers-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "# Waits\n\n<!-- check: start 02-waits-too -->\n\n```sockshell\nsockshell> sleep(60)\n```\n"
      .write(to: folder.appendingPathComponent("01-waits.md"), atomically: true, encoding: .utf8)
    try "# Waits too\n\n```sockshell\nsockshell> sleep(60)\n```\n"
      .write(to: folder.appendingPathComponent("02-waits-too.md"), atomically: true, encoding: .utf8)

    let checker = try Subprocess(
      "/usr/bin/env",
      ["SOCKSHELL_LESSONS=\(folder.path)", Paths.sockshell, "lesson", "--check", "1", "--timeout", "120"])
    var peer: pid_t?
    for _ in 0..<500 where peer == nil {
      peer = processes().first { $0.parent == checker.pid }?.pid
      if peer == nil { usleep(20_000) }
    }
    let peerPid = try #require(peer, "the checker started no peer")
    defer { if isAlive(peerPid) { kill(peerPid, SIGKILL) } }

    kill(checker.pid, SIGTERM)
    _ = checker.finish(timeout: 10)
    var waited = 0
    while isAlive(peerPid) && waited < 250 {
      usleep(20_000)
      waited += 1
    }
    #expect(!isAlive(peerPid), "the peer lesson outlived its checker")
  }

  @Test func aCopiedBinaryCarriesItsLessons() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sockshell-copy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("sockshell").path
    try FileManager.default.copyItem(atPath: Paths.sockshell, toPath: copy)

    let listed = try runProcess(
      "/usr/bin/env", ["-u", "SOCKSHELL_LESSONS", "-C", folder.path, copy, "lessons"])
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(listed.stdout.hasPrefix("Lessons built into sockshell:\n"), "\(listed.stdout)")
    #expect(listed.stdout.contains("04  04-errors"))
    let checked = try runProcess(
      "/usr/bin/env",
      [
        "-u", "SOCKSHELL_LESSONS", "-C", folder.path, copy, "lesson", "--check", "4", "--set",
        "port=\(freePort())",
      ],
      timeout: 60)
    #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
    #expect(checked.stdout == "ok    built-in:04-errors.md (23 steps)\n")
  }
}

/// Every process on the machine with its parent, from /proc/PID/stat.
func processes() -> [(pid: pid_t, parent: pid_t)] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
  return names.compactMap { name -> (pid_t, pid_t)? in
    guard let pid = pid_t(name),
      let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    // After the command name in parentheses: the state, then the parent's pid.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 1, let parent = pid_t(fields[1]) else { return nil }
    return (pid, parent)
  }
}

/// Whether a process still runs: a zombie waiting for a parent that will not reap it has ended.
func isAlive(_ pid: pid_t) -> Bool {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return false }
  return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
}
