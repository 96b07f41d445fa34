import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// Nothing a learner types takes the session down: deep nesting, extreme integers, huge strings,
/// every command with edge values in every position, and random lines made from the lessons.
@Suite struct RobustnessTests {
  /// Runs one line in a fresh session; returns the messages it printed.
  @discardableResult
  func messages(of line: String) -> [String] {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: line)
    interpreter.closeAll()
    return output.messages
  }

  @Test func nestingDeeperThanTheBoundIsOneClearError() {
    for (open, close) in [("(", ")"), ("[", "]"), ("strlen(", ")")] {
      let deep = "echo " + String(repeating: open, count: 7000) + "1" + String(repeating: close, count: 7000)
      let said = messages(of: deep)
      #expect(said.count == 1)
      #expect(said.first?.contains("nested more than \(Parser.maximumDepth) deep") == true, "\(said)")
    }
    let subscripts = "$a = [1]; echo $a" + String(repeating: "[0]", count: 7000)
    #expect(messages(of: subscripts).first?.contains("nested more than") == true)
  }

  @Test func nestingWithinTheBoundStillWorks() {
    let (interpreter, output) = makeInterpreter()
    let depth = Parser.maximumDepth - 1
    interpreter.run(line: "echo " + String(repeating: "(", count: depth) + "7" + String(repeating: ")", count: depth))
    #expect(output.messages == [])
    #expect(output.text == "7")
  }

  @Test func listsBuiltLineByLineStopNestingAtTheBound() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "$a = 1")
    for _ in 0..<(Value.maximumNesting + 50) { interpreter.run(line: "$a = [$a]") }
    #expect(output.messages.count == 50)
    #expect(output.messages.allSatisfy { $0.contains("arrays would nest more than \(Value.maximumNesting) deep") })
    #expect(interpreter.variables["a"]?.nesting() == Value.maximumNesting)
    interpreter.run(line: "$b = $a")
    #expect(interpreter.variables["b"] == interpreter.variables["a"])
  }

  @Test func listsThatShareThemselvesStopAtTheValueBound() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "$a = 1")
    // Each line holds ten copies of the last: 10^n values to print or compare, in shared storage.
    for _ in 0..<12 { interpreter.run(line: "$a = [$a, $a, $a, $a, $a, $a, $a, $a, $a, $a]") }
    // Five levels hold 111,110 values; the sixth would hold 1,111,110.
    #expect(output.messages.count == 7, "\(output.messages)")
    #expect(output.messages.allSatisfy { $0.contains("more than \(Value.maximumListValues) values") })
    #expect((interpreter.variables["a"]?.listShape().values ?? 0) <= Value.maximumListValues)
  }

  @Test func iovecsTogetherStayWithinTheirBudget() {
    let (interpreter, output) = makeInterpreter()
    let mebibytes = Array(repeating: "1048576", count: 10).joined(separator: " ")
    interpreter.run(line: "iovec_alloc \(mebibytes)")
    interpreter.run(line: "iovec_alloc \(mebibytes)")
    #expect(output.messages.count == 1)
    #expect(output.messages.first?.contains("together they may hold at most 16 MiB") == true)
    interpreter.run(line: "iovec_free %1")
    interpreter.run(line: "iovec_alloc \(mebibytes)")
    #expect(output.messages.count == 1, "freeing one makes room: \(output.messages)")
  }

  @Test func aSourcedFileWithCRLFLinesRunsLineByLine() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sockshell-crlf-\(getpid()).ss").path
    try "$s = create inet stream\r\nclose $s\r\n".write(toFile: path, atomically: false, encoding: .utf8)
    defer { unlink(path) }
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "source \(path)")
    #expect(output.messages == [])
    #expect(output.echoes.count == 2)
  }

  @Test func anUnknownSocketTypeGetsAHintAboutTypes() {
    let said = messages(of: "create inet 99")
    #expect(said.first?.contains("99 is not a socket type") == true, "\(said)")
  }

  @Test func extremeIntegersAreClampedOrRefusedNeverTrapped() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: #"echo substr("abc", 1, 9223372036854775807), "|""#)
    interpreter.run(line: #"echo substr("abcdef", 2, -9223372036854775807), "|""#)
    interpreter.run(line: #"echo substr("abcdef", -9223372036854775807), "|""#)
    #expect(output.text == "bc||abcdef|")
    for line in [
      "select null null null 0.5 9223372036854775807", "select null null null 9223372036854775807 1",
      "select null null null 1000000000 0",
    ] {
      output.clear()
      interpreter.run(line: line)
      #expect(output.messages.count == 1)
      #expect(output.messages.first?.contains("the timeout must be under 1e9 seconds") == true)
      #expect(output.echoes == [], "select must not reach the kernel")
    }
  }

  @Test func everyStringAScriptBuildsStopsAtOneLimit() {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "$s = create inet stream")
    interpreter.run(line: #"$a = str_repeat("x", 16777216)"#)
    interpreter.run(line: "$b = $a . $a")
    interpreter.run(line: "$c = bin2hex($a)")
    interpreter.run(line: #"$d = str_repeat("xy", 8388609)"#)
    #expect(output.messages.count == 3)
    #expect(output.messages.allSatisfy { $0.contains("\(Value.maximumStringLength)") }, "\(output.messages)")
    #expect(interpreter.variables["b"] == nil && interpreter.variables["c"] == nil)
    #expect(interpreter.handles.open.count == 1, "the handles survive")
  }

  @Test func controlCharactersInAMessageAreShownEscaped() {
    let said = messages(of: #"create "x\e[2J" stream"#)
    #expect(said.count == 1)
    #expect(said.first?.contains(#"x\x1b[2J"#) == true, "\(said)")
    #expect(said.first?.utf8.contains(0x1B) == false)
  }

  @Test func hintsReadTheSocketsStateNotOnlyTheErrno() throws {
    func hints(_ line: String) -> [String] { messages(of: line).filter { $0.hasPrefix("hint: ") } }
    #expect(hints(#"$s = create inet stream; write $s "x""#).first?.contains("never connected") == true)
    #expect(
      hints(#"$s = create inet stream; bind $s 127.0.0.1 0; listen $s; send $s "x""#).first?.contains(
        "a listening socket") == true)
    let refused = hints("$s = create inet stream; accept $s")
    #expect(refused.first?.contains("this one is not listening") == true, "\(refused)")
    #expect(hints("create inet stream 99").first?.contains("99 is not a protocol AF_INET SOCK_STREAM") == true)
    // A peer that closed: the errno table's own hint still speaks of the peer.
    let pair = hints(#"[$a, $b] = create_pair unix stream; close $b; write $a "x""#)
    #expect(pair.first == "hint: " + (Errno(EPIPE).hint ?? ""))
  }

  @Test func aMisspelledCommandInCommandFormGetsASuggestion() {
    #expect(messages(of: "conect").first?.contains("did you mean connect") == true)
  }

  @Test func theKernelsOwnBindOnEveryInterfaceIsWarnedAbout() {
    let listen = messages(of: "$s = create inet stream; listen $s")
    #expect(listen.contains { $0.hasPrefix("sockshell: warning: listen on an unbound socket") }, "\(listen)")
    let local = messages(of: "$s = create inet stream; bind $s 127.0.0.1 0; listen $s")
    #expect(local == [])
    let port = freePort()
    let sendto = messages(of: #"$u = create inet dgram; sendto $u "x" 127.0.0.1 \#(port); sendto $u "x" 127.0.0.1 \#(port)"#)
    #expect(sendto.filter { $0.hasPrefix("sockshell: warning: sendto on an unbound socket") }.count == 1)
  }

  @Test func theWatchdogsEINTRHintNamesTheTimeLimit() throws {
    let result = try runSockshell("$s = create inet stream; bind $s 127.0.0.1 0; listen $s\nset_time_limit(1)\naccept $s")
    #expect(result.stdout.contains("EINTR"))
    #expect(result.stderr.contains("hint: the time limit set by set_time_limit() ran out"), "\(result.stderr)")
    #expect(!result.stderr.contains("Ctrl-C"))
  }

  @Test func quitRefusesTheStatusesOfSignalsAndUnrunnableCommands() throws {
    let refused = try runSockshell("quit 139")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("STATUS must be between 0 and 125"))
    #expect(try runSockshell("quit 125").status == 125)
  }

  // MARK: - The boundary sweep

  /// Values that have broken shells before: zero, minus one, the ends of Int64 and Int32, the
  /// next powers of two, a long string, and values of the wrong type.
  static let edgeValues = [
    "0", "-1", "9223372036854775807", "-9223372036854775807", "2147483648", "4294967296",
    #"str_repeat("A", 100000)"#, "[1, 2]", "[]", "null", "true", "1.5", #""x""#, "#99", "%99", "$h",
  ]

  /// A value that fits each placeholder of a synopsis, so the sweep reaches past the first check.
  static func fitting(_ slot: String) -> String {
    switch slot {
    case "HANDLE": "$h"
    case "DOMAIN": "AF_INET"
    case "TYPE": "SOCK_STREAM"
    case "PROTOCOL": "0"
    case "ADDRESS": #""127.0.0.1""#
    case "DATA", "STRING", "CHARACTERS", "MESSAGE": #""ab""#
    case "IOVEC": "$v"
    case "READ", "WRITE": "[$h]"
    case "EXCEPT": "null"
    case "LEVEL": "SOL_SOCKET"
    case "OPTION": "SO_RCVBUF"
    case "FLAGS": "0"
    case "PATH": #""/nonexistent/sockshell-sweep""#
    case "COMMAND": #""bind""#
    case "LESSON": #""no-such-lesson""#
    case "LIST": "[1]"
    case "HEX": #""ab""#
    case "NAME": #""localhost""#
    case "SERVICE": #""http""#
    case "FORMAT": #""D, d M Y H:i:s""#
    case "SETTING": #""display_errors""#
    default: "1"
    }
  }

  /// Each command's argument placeholders, from its synopsis: `bind HANDLE ADDRESS [PORT]` or
  /// `substr(STRING, OFFSET [, LENGTH])`.
  static func placeholders(_ spec: CommandSpec) -> [String] {
    var synopsis = spec.synopsis
    if let open = synopsis.firstIndex(of: "(") {
      synopsis = String(synopsis[synopsis.index(after: open)...]).replacingOccurrences(of: ",", with: " ")
    } else {
      synopsis = String(synopsis.drop { $0 != " " })
    }
    return synopsis.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]().")) }
      .filter { !$0.isEmpty }.map { $0.contains("|") ? "WORD" : $0 }
  }

  /// Sockets that never block: a connected pair with data waiting, a listener, a datagram
  /// socket, and an iovec.
  static let prelude = """
    [$h, $p] = create_pair(AF_UNIX, SOCK_STREAM, 0); set_nonblock($h); set_nonblock($p); \
    socket_write($p, "data\\n"); $l = create(AF_INET, SOCK_STREAM, 0); bind($l, "127.0.0.1", 0); \
    listen($l, 1); set_nonblock($l); $v = iovec_alloc(2, 4, 4)
    """

  @Test(arguments: CommandTable.standard.commands.map(\.name))
  func everyCommandTakesEdgeValuesInEveryPositionWithoutTrapping(_ name: String) throws {
    var lines = 0
    let spec = try #require(CommandTable.standard.lookup(name))
    do {
      let slots = Self.placeholders(spec)
      for position in 0...slots.count {
        for value in Self.edgeValues {
          // Waits that these commands take as real: minutes of sleep prove nothing here.
          if spec.name == "usleep" && (value == "2147483648" || value == "4294967296") { continue }
          var arguments = slots.map(Self.fitting)
          if position < slots.count { arguments[position] = value } else { arguments.append(value) }
          let line = "\(spec.name)(\(arguments.joined(separator: ", ")))"
          // set_time_limit would arm this test process's watchdog: it must not.
          var settings = Interpreter.Settings()
          settings.scriptWatchdog = false
          let output = RecordingOutput()
          let interpreter = Interpreter(table: .standard, output: output, settings: settings)
          // Sockets only for the commands that take one: the sweep stays quick.
          if !slots.allSatisfy({ Self.fitting($0).hasPrefix("\"") || Self.fitting($0).allSatisfy(\.isNumber) }) {
            interpreter.run(line: Self.prelude)
          }
          #expect(output.messages.filter { !$0.hasPrefix("hint:") } == [], "the prelude failed")
          output.clear()
          interpreter.run(line: line)
          interpreter.run(line: "strerror(1)")
          lines += 1
          for message in output.messages {
            #expect(
              message.hasPrefix("sockshell: ") || message.hasPrefix("hint: "), "\(line) printed \(message)")
          }
          if interpreter.exitStatus == nil {
            #expect(output.text.hasSuffix("EPERM (1): Operation not permitted\n"), "the session stopped at \(line)")
          }
          interpreter.closeAll()
        }
      }
    }
    #expect(lines >= Self.edgeValues.count)
  }

  // MARK: - The seeded fuzz test

  /// A small, seedable generator (SplitMix64), so a failure can be replayed from its seed.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Every input line of every lesson.
  static func lessonInputs() throws -> [String] {
    let folder = Paths.packageRoot.appendingPathComponent("lessons").path
    var inputs: [String] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".md") {
      let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix(Lesson.prompt) {
        inputs.append(String(line.dropFirst(Lesson.prompt.count)))
      }
    }
    return inputs
  }

  /// One lesson line, mutated: bytes dropped, repeated, swapped or replaced, tokens doubled, and
  /// now and then a byte the language has no use for.
  static func mutate(_ line: String, _ random: inout SplitMix) -> String {
    var bytes = Array(line.utf8)
    let alphabet = Array("()[]{},;.|=?$#%\"'\\ 0123456789-abcxyzAF_INET\t\u{7f}\u{1b}".utf8) + [0, 0xff, 0xc3]
    for _ in 0..<Int.random(in: 1...4, using: &random) {
      guard !bytes.isEmpty else { bytes = [alphabet.randomElement(using: &random)!]; continue }
      let at = Int.random(in: 0..<bytes.count, using: &random)
      switch Int.random(in: 0..<6, using: &random) {
      case 0: bytes.remove(at: at)
      case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
      case 2: bytes[at] = alphabet.randomElement(using: &random)!
      case 3: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 8)], at: at)
      case 4: bytes.swapAt(at, Int.random(in: 0..<bytes.count, using: &random))
      default: bytes = Array(bytes[..<at]) + Array(";".utf8) + bytes
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Random lines made from the lessons, run by the sockshell binary in scripts of 40 lines each.
  /// `or die` is taken out of the lessons' lines first (it would end a script on purpose), and a
  /// line that blocks is stopped by the script's time limit, which ends that script: a marker
  /// after each line counts how many ran, and most must have. SOCKSHELL_FUZZ_SEED replays a run.
  @Test func randomLinesFromTheLessonsNeverCrashTheShell() throws {
    let seed = ProcessInfo.processInfo.environment["SOCKSHELL_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_129
    var random = SplitMix(state: seed)
    let inputs = try Self.lessonInputs().map { line in
      line.replacingOccurrences(of: #"\s+or\s+(die|exit)(\([^)]*\))?"#, with: "", options: .regularExpression)
    }
    #expect(inputs.count > 100)
    var ran = 0
    var total = 0
    for chunk in 0..<45 {
      var script = "set_time_limit(1)\n"
      for line in 0..<40 {
        // The line is taken apart in sockshell by newline: keep each mutation on one line.
        script += Self.mutate(inputs.randomElement(using: &random)!, &random)
          .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") + "\n"
        script += "echo \"@ran \(line)@\\n\"\n"
        total += 1
      }
      let result = try runSockshell(script, timeout: 30)
      ran += result.stdout.components(separatedBy: "@ran ").count - 1
      let context = "seed \(seed), chunk \(chunk); replay with SOCKSHELL_FUZZ_SEED=\(seed)"
      #expect(!result.timedOut, "\(context): the script hung")
      #expect(result.status < 128, "\(context): killed by signal \(result.status - 128)\n\(result.stderr.suffix(2000))")
      #expect(result.status <= 2, "\(context): status \(result.status)")
      for line in result.stderr.split(separator: "\n") {
        #expect(line.hasPrefix("sockshell: ") || line.hasPrefix("hint: "), "\(context): stderr said \(line)")
      }
    }
    // A mutated line may still quit, block or die; most of them must have run.
    #expect(ran * 10 >= total * 7, "only \(ran) of \(total) lines ran")
  }
}
