import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// `export`'s programs, run under strace: each makes the system calls on its sockets that the
/// session's echo showed, in the same order and with the same results, descriptors and ephemeral
/// ports aside. Where a language cannot make the very call sockshell made, the difference is one
/// of `differences` (ExportStraceTests+Differences.swift), each explained; nothing else is
/// smoothed over.
@Suite(.serialized) struct ExportStraceTests {
  enum Language: String, CaseIterable, CustomStringConvertible, Sendable {
    case c, python, php
    var description: String { rawValue }
    var fileExtension: String { ["c": "c", "python": "py", "php": "php"][rawValue]! }
    var tool: String { ["c": "cc", "python": "python3", "php": "php"][rawValue]! }
  }

  /// One call, as the echo or strace shows it, split into its parts.
  struct Call: Equatable, CustomStringConvertible, Sendable {
    var name: String
    var arguments: [String]
    /// The return value and, for a failure, the errno's name: `-1 ECONNREFUSED`.
    var result: String
    var description: String { "\(name)(\(arguments.joined(separator: ", "))) = \(result)" }
  }

  /// A documented way in which a language's call differs from sockshell's, and how both sides
  /// are brought to one form for the comparison.
  struct Difference: Sendable {
    var languages: Set<Language>
    var why: String
    /// Brings one call to the common form; `sequence` works on the calls in order instead.
    var apply: @Sendable (Call) -> Call = { $0 }
    var sequence: @Sendable ([Call]) -> [Call] = { $0 }
  }

  // MARK: - The comparisons

  @Test(
    .enabled(if: Paths.which("strace") != nil, "strace is not installed"),
    arguments: [3, 4, 5, 7, 9, 10, 14], Language.allCases)
  func exportedLessonMakesTheSessionsCalls(lesson: Int, language: Language) throws {
    guard Paths.which(language.tool) != nil else {
      print("skipped: \(language.tool) is not installed")
      return
    }
    if let why = ExportStraceTests.unexportable[language]?[lesson] {
      print("skipped: lesson \(lesson) in \(language): \(why)")
      return
    }
    let port = freePort()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let program = "\(directory)/lesson\(lesson).\(language.fileExtension)"
    let run = try runProcess(
      Paths.sockshell,
      [
        "lesson", String(lesson), "--set", "port=\(port)", "--export", language.rawValue, "--export-to",
        program,
      ])
    #expect(run.status == 0, "\(run.stderr)")
    // Every call is written as a call: none stands as a comment.
    #expect(!run.stderr.contains("as a comment"), "\(run.stderr)")
    let echoed = run.stdout.split(separator: "\n").compactMap { ExportStraceTests.parse($0) }
    #expect(echoed.count > 5, "the lesson echoed too few calls:\n\(run.stdout)")
    // The program runs in a network namespace of its own where one can be made: the
    // connections the session closed wait in TIME_WAIT on the lesson's port, and a bind there
    // that worked in the session would fail (lesson 9 binds again after such a close).
    let isolated = try canIsolate()
    if !isolated && lesson == 9 {
      print("skipped: lesson 9 needs a network namespace (unshare -rn) to bind its port again")
      return
    }
    let seen = try trace(program, language: language, in: directory, isolated: isolated)
    compare(echoed, seen, port: port, language: language, program: program)
  }

  /// Whether a program can run in a new user and network namespace here.
  func canIsolate() throws -> Bool {
    guard Paths.which("unshare") != nil, Paths.which("ip") != nil else { return false }
    return try inNetworkNamespace("true").status == 0
  }

  /// Bytes that every language must write as a literal of its own: NUL, high bytes, quotes,
  /// backslashes, `$` (PHP would interpolate), `?` (C trigraphs), newlines, and a string longer
  /// than one line of a C literal. A script this time, exported with `sockshell --export`.
  @Test(
    .enabled(if: Paths.which("strace") != nil, "strace is not installed"), arguments: Language.allCases)
  func exportedScriptWritesTheSameBytes(language: Language) throws {
    guard Paths.which(language.tool) != nil else {
      print("skipped: \(language.tool) is not installed")
      return
    }
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let script = """
      set strsize 4096
      $pair = socketpair AF_UNIX SOCK_STREAM 0
      write $pair[0] "\\x00\\xff\\x7f\\"quoted\\" back\\\\slash \\$var {\\$x} ??= ??/ */ \\r\\n\\t end"
      $got = read $pair[1] 4096
      $long = str_repeat("0123456789abcdef", 9) . "\\x01"
      send $pair[1] $long
      recv $pair[0] 4096 MSG_PEEK
      $again = read $pair[0] 4096
      shutdown $pair[0] SHUT_WR
      read $pair[1] 10
      close $pair[0]
      close $pair[1]
      read $pair[1] 10
      """
    let scriptPath = "\(directory)/bytes.ss"
    try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
    let program = "\(directory)/bytes.\(language.fileExtension)"
    let run = try runProcess(
      Paths.sockshell, ["--export", language.rawValue, "--export-to", program, scriptPath])
    // The last line reads a closed handle on purpose: a sockshell error, no call.
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stderr.contains("closed"), "\(run.stderr)")
    let echoed = run.stdout.split(separator: "\n").compactMap { ExportStraceTests.parse($0) }
    #expect(echoed.count == 10, "\(run.stdout)")
    let seen = try trace(program, language: language, in: directory, stringLimit: 4096)
    compare(echoed, seen, port: nil, language: language, program: program)
  }

  /// Lessons 1 and 2, the tutorial's server and client, exported as two C programs and run
  /// against each other: each makes the calls its lesson's transcript shows. Each lesson is
  /// exported, and the programs run, in a network namespace of its own, so that all three use
  /// the tutorial's port, 5353, which the TIME_WAIT a run leaves would otherwise hold.
  @Test(
    .enabled(
      if: ["strace", "cc", "unshare", "ip"].allSatisfy { Paths.which($0) != nil },
      "strace, cc, unshare or ip is missing"
    ))
  func exportedServerAndClientTalkToEachOther() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    guard try inNetworkNamespace("true").status == 0 else {
      print("skipped: no network namespace can be made here")
      return
    }
    // Checked, each lesson starts the other as its peer, so both run to their end; a check picks
    // a free port of its own unless it is given one.
    for (lesson, name) in [(1, "server"), (2, "client")] {
      let run = try inNetworkNamespace(
        "'\(Paths.sockshell)' lesson \(lesson) --check --set port=5353 --export c --export-to '\(directory)/\(name).c'"
      )
      #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
      let compiled = try runProcess(
        Paths.which("cc")!,
        ["-Wall", "-Wextra", "-Werror", "-std=c11", "-o", "\(directory)/\(name)", "\(directory)/\(name).c"])
      #expect(compiled.status == 0, "\(compiled.stderr)")
    }
    let trace = straceArguments("").dropLast().map { "'\($0)'" }.joined(separator: " ")
    let strace = Paths.which("strace")!
    let run = try inNetworkNamespace(
      """
      cd '\(directory)'
      timeout 20 '\(strace)' \(trace) server.trace ./server & server=$!
      tries=0
      until grep -q ':14E9 00000000:0000 0A' /proc/net/tcp; do
        tries=$((tries + 1)); [ $tries -gt 100 ] && break; sleep 0.1
      done
      timeout 20 '\(strace)' \(trace) client.trace ./client; client=$?
      wait $server; server=$?
      echo "client $client server $server"
      """)
    #expect(run.stdout.contains("client 0 server 0"), "\(run.stdout)\(run.stderr)")
    for (lesson, name) in [("01-reverse-server.md", "server"), ("02-reverse-client.md", "client")] {
      let transcript = try String(
        contentsOfFile: Paths.packageRoot.appendingPathComponent("lessons/\(lesson)").path, encoding: .utf8)
      let expected = transcript.split(separator: "\n").filter { ExportStraceTests.parse($0) != nil }.map {
        ExportStraceTests.withoutAnnotation(String($0))
      }
      let seen = try socketCalls(String(contentsOfFile: "\(directory)/\(name).trace", encoding: .utf8)).map {
        ExportStraceTests.parse(Substring($0))!.description
      }
      #expect(
        OutputMatcher.matches(expected, seen),
        """
        \(name): the program's calls differ from its lesson's
        lesson:
        \(expected.joined(separator: "\n"))
        program:
        \(seen.joined(separator: "\n"))
        """)
      #expect(
        seen.contains {
          $0.hasPrefix(name == "server" ? "read(4, \"xiongchao\"" : "read(3, \"oahcgnoix\\n\"")
        })
    }
  }

  /// Runs a shell script as root of a new user and network namespace, its loopback up.
  func inNetworkNamespace(_ script: String) throws -> ProcessResult {
    try runProcess(
      Paths.which("unshare")!, ["-rn", "sh", "-c", "ip link set lo up || exit 97\n" + script], timeout: 60)
  }

  // MARK: - Running and reading

  func temporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("sockshell-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  func straceArguments(_ output: String, stringLimit: Int = 64) -> [String] {
    [
      "-f", "-s", String(stringLimit), "-e",
      "trace=%network,read,write,readv,writev,close,fcntl,select,pselect6", "-o",
      output,
    ]
  }

  /// Builds (C) and runs the program under strace; the calls it made on its sockets.
  func trace(
    _ program: String, language: Language, in directory: String, stringLimit: Int = 64, isolated: Bool = false
  ) throws -> [Call] {
    var command = [Paths.which(language.tool)!, program]
    if language == .c {
      let compiled = try runProcess(
        Paths.which("cc")!,
        ["-Wall", "-Wextra", "-Werror", "-std=c11", "-o", "\(directory)/program", program])
      #expect(compiled.status == 0, "cc refused the program:\n\(compiled.stderr)")
      command = ["\(directory)/program"]
    }
    let traceFile = "\(directory)/\(language).trace"
    let traced = [Paths.which("strace")!] + straceArguments(traceFile, stringLimit: stringLimit) + command
    let run =
      isolated
      ? try runProcess(
        Paths.which("unshare")!,
        ["-rn", "sh", "-c", "ip link set lo up || exit 97\nexec \"$@\"", "sh"] + traced)
      : try runProcess(traced[0], Array(traced.dropFirst()))
    #expect(run.status == 0 && !run.timedOut, "the program failed:\n\(run.stdout)\(run.stderr)")
    return try socketCalls(String(contentsOfFile: traceFile, encoding: .utf8)).compactMap {
      ExportStraceTests.parse(Substring($0))
    }
  }

  /// The lines of a trace that are calls on sockets: creating one, or on a descriptor that is
  /// a socket at the time (a file's descriptor, before or after, is left out).
  func socketCalls(_ trace: String) -> [String] {
    var sockets: Set<String> = []
    var lines: [String] = []
    for raw in trace.split(separator: "\n") {
      // `-f` puts the pid first.
      let line = String(raw.drop { $0.isNumber }.drop { $0 == " " })
      guard let call = ExportStraceTests.parse(Substring(line)) else { continue }
      let fd = call.arguments.first ?? ""
      switch call.name {
      case "socket":
        if !call.result.hasPrefix("-1") { sockets.insert(call.result) }
      case "socketpair":
        if !call.result.hasPrefix("-1"), let pair = call.arguments.last {
          for fd in pair.dropFirst().dropLast().split(separator: ",") {
            sockets.insert(fd.trimmingCharacters(in: .whitespaces))
          }
        }
      case "select", "pselect6":
        // On sockets when a set holds one.
        let sets = call.arguments.dropFirst().prefix(3).flatMap {
          $0.hasPrefix("[") ? $0.dropFirst().dropLast().split(separator: " ").map(String.init) : []
        }
        guard sets.contains(where: sockets.contains) else { continue }
      default:
        guard sockets.contains(fd) else { continue }
        if call.name == "accept" || call.name == "accept4", !call.result.hasPrefix("-1") {
          sockets.insert(call.result)
        }
        if call.name == "close" { sockets.remove(fd) }
      }
      lines.append(line)
    }
    return lines
  }

  /// Compares the session's calls with the program's, both brought to one form: descriptors by
  /// the order the sockets were made, the lesson's port as PORT and any other as EPH, pointers
  /// as PTR, then the language's differences.
  func compare(_ echoed: [Call], _ seen: [Call], port: Int?, language: Language, program: String) {
    let expected = normalized(echoed, port: port, language: language)
    let actual = normalized(seen, port: port, language: language)
    guard expected != actual else { return }
    let first =
      zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? min(expected.count, actual.count)
    let text = (try? String(contentsOfFile: program, encoding: .utf8)) ?? ""
    Issue.record(
      """
      \(language): the program's calls differ from the session's at call \(first + 1)
      session: \(first < expected.count ? expected[first].description : "(no more calls)")
      program: \(first < actual.count ? actual[first].description : "(no more calls)")
      session's calls:
      \(expected.map(\.description).joined(separator: "\n"))
      program's calls:
      \(actual.map(\.description).joined(separator: "\n"))
      the program:
      \(text)
      """)
  }

  func normalized(_ calls: [Call], port: Int?, language: Language) -> [Call] {
    var names: [String: String] = [:]
    func socket(_ fd: String) -> String {
      if let name = names[fd] { return name }
      let name = "s\(names.count + 1)"
      names[fd] = name
      return name
    }
    var calls = calls
    for difference in ExportStraceTests.differences where difference.languages.contains(language) {
      calls = difference.sequence(calls).map(difference.apply)
    }
    return calls.map { original in
      var call = original
      let takesFD = !["socket", "socketpair", "select", "pselect6", "unlink"].contains(call.name)
      call.arguments = call.arguments.enumerated().map { index, argument in
        if index == 0 && takesFD { return socket(argument) }
        if call.name == "socketpair" && index == 3 && argument.hasPrefix("[") {
          return "["
            + argument.dropFirst().dropLast().split(separator: ",").map {
              socket($0.trimmingCharacters(in: .whitespaces))
            }.joined(separator: ", ") + "]"
        }
        return ExportStraceTests.masked(argument, port: port)
      }
      if call.name == "select" || call.name == "pselect6" { call.arguments = fdSets(original, socket) }
      if ["socket", "accept", "accept4"].contains(call.name) && !call.result.hasPrefix("-1") {
        call.result = socket(call.result)
      }
      return call
    }
  }

  /// select's sets with each descriptor as its socket's name (in order), and nfds as `MAX+1` when
  /// it is one more than the highest descriptor in the sets, as the call should give it.
  func fdSets(_ call: Call, _ socket: (String) -> String) -> [String] {
    var arguments = call.arguments
    guard arguments.count > 3 else { return arguments }
    var highest = -1
    for index in 1...3 where arguments[index].hasPrefix("[") {
      let fds = arguments[index].dropFirst().dropLast().split(separator: " ").map(String.init)
      highest = max(highest, fds.compactMap { Int($0) }.max() ?? -1)
      arguments[index] = "[" + fds.map(socket).sorted().joined(separator: " ") + "]"
    }
    if arguments[0] == String(highest + 1) { arguments[0] = "MAX+1" }
    return arguments
  }

  /// Ports other than the lesson's as EPH, pointers as PTR.
  static func masked(_ argument: String, port: Int?) -> String {
    var text = argument
    while let range = text.range(of: #"htons\([0-9]+\)"#, options: .regularExpression) {
      let number = Int(text[range].dropFirst(6).dropLast()) ?? -1
      text.replaceSubrange(range, with: number == port ? "htons{PORT}" : "htons{EPH}")
    }
    if text.hasPrefix("0x") && text.dropFirst(2).allSatisfy(\.isHexDigit) { return "PTR" }
    return text
  }

  /// `name(arguments) = result`, from an echo line (its annotation after the result ignored) or
  /// a line of strace; nil for any other line.
  static func parse(_ line: Substring) -> Call? {
    guard let open = line.firstIndex(of: "("), open > line.startIndex else { return nil }
    let name = String(line[..<open])
    guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), name.first!.isLetter else {
      return nil
    }
    var arguments: [String] = []
    var current = ""
    var depth = 0
    var inString = false
    var escaped = false
    var index = line.index(after: open)
    while index < line.endIndex {
      let character = line[index]
      if inString {
        current.append(character)
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == "\"" {
          inString = false
        }
      } else if character == "\"" {
        inString = true
        current.append(character)
      } else if "({[".contains(character) {
        depth += 1
        current.append(character)
      } else if ")}]".contains(character) {
        if depth == 0 { break }
        depth -= 1
        current.append(character)
      } else if character == "," && depth == 0 {
        arguments.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      } else {
        current.append(character)
      }
      index = line.index(after: index)
    }
    guard index < line.endIndex else { return nil }
    if !current.isEmpty || !arguments.isEmpty {
      arguments.append(current.trimmingCharacters(in: .whitespaces))
    }
    let rest = line[line.index(after: index)...].drop { $0 == " " }
    guard rest.hasPrefix("= ") else { return nil }
    let words = rest.dropFirst(2).split(separator: " ")
    guard let value = words.first else { return nil }
    var result = String(value)
    if value == "-1", words.count > 1 { result += " " + words[1] }
    return Call(name: name, arguments: arguments, result: result)
  }

  /// An echo line without sockshell's annotation (`#3 $spawn` after the result).
  static func withoutAnnotation(_ line: String) -> String {
    guard let range = line.range(of: #"\s{2,}[#$].*$"#, options: .regularExpression) else { return line }
    return String(line[..<range.lowerBound])
  }
}
