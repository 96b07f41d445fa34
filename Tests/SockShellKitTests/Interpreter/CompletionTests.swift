import Glibc
import Testing
@testable import SockShellKit

/// Tab completion as a pure function: a line and a session in, candidates out.
@Suite struct CompletionTests {
  /// A session with two open handles (#1 inet in `$server`, #3 unix in `$local`), a closed
  /// #2 still named by `$old`, and a few plain variables.
  func completer(files: @escaping (String) -> [String] = { _ in [] }) -> Completer {
    Completer(
      table: .standard,
      variables: [
        "server": .handle(1), "old": .handle(2), "local": .handle(3), "port": .int(5353),
        "input": .string("xiongchao"), "ready": .list([.handle(1)]),
      ],
      handles: [(1, AF_INET), (3, AF_UNIX)],
      lessons: { ["reverse-server", "reverse-client", "errors"] }, files: files)
  }

  func candidates(_ line: String) -> [String] { completer().complete(line).candidates }

  @Test func commandNamesAndTheirPHPAliasesAtTheStartOfAStatement() {
    #expect(candidates("cre") == ["create", "create_listen", "create_pair"])
    #expect(candidates("socket_b") == ["socket_bind"])
    #expect(candidates("socket_c").contains("socket_connect"))
    #expect(candidates("socket_c").contains("socket_create"))
    #expect(candidates("se").contains("select") && candidates("se").contains("set_nonblock"))
    // After `;`, after an assignment and in call form the command position is the same.
    #expect(candidates("$x = 1; acc") == ["accept"])
    #expect(candidates("$spawn = socket_acc") == ["socket_accept"])
    #expect(candidates("$s ??= creat") == ["create", "create_listen", "create_pair"])
    // The replaced word starts where the command name does.
    #expect(completer().complete("$x = 1; acc").start == 8)
  }

  @Test func keywordsWhereAStatementStartsAndCommandsInsideBlocks() {
    #expect(candidates("whi") == ["while"])
    #expect(candidates("fore") == ["foreach"])
    #expect(candidates("func") == ["function"])
    #expect(candidates("els") == ["else", "elseif"])
    // After `{`, after a control statement's head, and inside its parentheses.
    #expect(candidates("for ($i = 0; $i < 3; $i++) { acc") == ["accept"])
    #expect(candidates("if ($ready) acc") == ["accept"])
    #expect(candidates("} else { clo") == ["close"])
    #expect(candidates("while (strre") == ["strrev"])
    #expect(candidates("foreach ($ready as $h) close ") == ["#1", "#3", "$local", "$server"])
    #expect(candidates("while (true) { bind $s") == ["$server"])
  }

  @Test func handlesAndVariablesHoldingOpenHandles() {
    #expect(candidates("bind ") == ["#1", "#3", "$local", "$server"])
    #expect(candidates("close $s") == ["$server"])
    #expect(candidates("close #") == ["#1", "#3"])
    #expect(candidates("socket_read($") == ["$local", "$server"])
    #expect(
      candidates("$reply = socket_read($server, 1024); socket_close(") == ["#1", "#3", "$local", "$server"])
    // $old names a closed handle: never offered.
    #expect(!candidates("close $").contains("$old"))
  }

  @Test func constantsOfTheRightFamilyForEachArgument() {
    #expect(candidates("create ") == ["AF_UNIX", "AF_INET", "AF_INET6", "inet", "inet6", "unix"])
    #expect(
      candidates("create AF_INET SOCK_") == ["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_SEQPACKET"])
    #expect(candidates("socket_create(AF_INET, SOCK_STREAM, IPPROTO_T") == ["IPPROTO_TCP"])
    #expect(candidates("$s = socket_create(af_i") == ["AF_INET", "AF_INET6"])
    #expect(candidates("shutdown $server ") == ["rd", "wr", "rdwr", "SHUT_RD", "SHUT_WR", "SHUT_RDWR"])
    #expect(candidates("socket_shutdown($server, SHUT_R") == ["SHUT_RD", "SHUT_RDWR"])
    #expect(candidates("read $server 1024 PHP_N") == ["PHP_NORMAL_READ"])
    #expect(candidates("strerror ECONNR") == ["ECONNREFUSED", "ECONNRESET"])
    #expect(candidates("set ") == ["strsize", "hints", "colour", "echo"])
  }

  @Test func iovecsOptionsAndFlagsForTheRestOfTheTable() {
    let withIovecs = Completer(
      table: .standard, variables: ["v": .iovec(2), "gone": .iovec(1), "s": .handle(1)],
      handles: [(1, AF_INET)],
      iovecs: [2])
    #expect(withIovecs.complete("readv $s ").candidates == ["%2", "$v"])
    #expect(withIovecs.complete("socket_writev($s, $").candidates == ["$v"])
    #expect(candidates("get_option $server SOL_S") == ["SOL_SOCKET"])
    #expect(candidates("set_option $server SOL_SOCKET SO_RE").contains("SO_REUSEADDR"))
    #expect(candidates("recv $server 1024 MSG_PEEK|MSG_DONTW") == ["MSG_DONTWAIT"])
    #expect(completer().complete("recv $server 1024 MSG_PEEK|MSG_DONT").start == 27)
    #expect(completer(files: { _ in ["/tmp/x.sock"] }).complete("unlink ").candidates == ["/tmp/x.sock"])
  }

  @Test func selectTakesListsOfHandles() {
    #expect(candidates("select ") == ["null", "$local", "$ready", "$server"])
    #expect(candidates("select [") == ["#1", "#3", "$local", "$server"])
    #expect(candidates("select [$server, ") == ["#1", "#3", "$local", "$server"])
    #expect(candidates("socket_select($r, [#") == ["#1", "#3"])
  }

  @Test func lessonsAfterLessonAndCommandsAfterHelp() {
    #expect(candidates("lesson rev") == ["reverse-server", "reverse-client"])
    #expect(candidates("help socket_sh") == ["socket_shutdown"])
    #expect(candidates("help(last") == ["last_error", "lasterror"])
  }

  @Test func filePathsWhereAnAddressCanBeAUnixPath() throws {
    let folder = "/tmp/sockshell-completion-\(getpid())"
    mkdir(folder, 0o700)
    defer {
      unlink(folder + "/server.sock")
      rmdir(folder + "/sub")
      rmdir(folder)
    }
    close(open(folder + "/server.sock", O_CREAT | O_WRONLY, 0o600))
    mkdir(folder + "/sub", 0o700)
    // The handle decides: a Unix socket's address is a path, an inet one's is not.
    #expect(completer(files: { _ in ["s.sock"] }).complete("bind $local ").candidates == ["s.sock"])
    #expect(completer(files: { _ in ["s.sock"] }).complete("socket_connect(#3, ").candidates == ["s.sock"])
    #expect(candidates("connect $server ").prefix(3) == ["127.0.0.1", "::1", "localhost"])
    #expect(!completer(files: { _ in ["s.sock"] }).complete("connect $server ").candidates.contains("s.sock"))
    // The handle decides: a Unix socket's address is a path, an inet one's is not.
    #expect(completer(files: { _ in ["s.sock"] }).complete("bind $local ").candidates == ["s.sock"])
    #expect(completer(files: { _ in ["s.sock"] }).complete("socket_connect(#3, ").candidates == ["s.sock"])
    #expect(candidates("connect $server ").prefix(3) == ["127.0.0.1", "::1", "localhost"])
    #expect(!completer(files: { _ in ["s.sock"] }).complete("connect $server ").candidates.contains("s.sock"))
    let real = Completer(table: .standard, variables: [:], handles: [(1, AF_UNIX)])
    #expect(real.complete("bind #1 \(folder)/s").candidates == ["\(folder)/server.sock", "\(folder)/sub/"])
    #expect(real.complete("bind #1 \"\(folder)/se").candidates == ["\(folder)/server.sock"])
    #expect(real.complete("connect #1 \(folder)/sub/").candidates == [])
  }

  @Test func nothingInsideAStringOrAComment() {
    #expect(candidates("write $server \"cre") == [])
    #expect(candidates("# cre") == [])
    #expect(candidates("close $server ") == [])
  }

  @Test func stringsAreReadAsTheLexerReadsThem() {
    // A `;` or a `,` inside a string neither ends the statement nor the argument.
    #expect(candidates(#"socket_send($server, "a;b,c", 5, MSG_DONTW"#) == ["MSG_DONTWAIT"])
    #expect(candidates(#"write $server "a; $"#) == [])
    // `\'` does not end a single-quoted string; the quote after it does.
    #expect(candidates(#"echo 'it\'s'; acc"#) == ["accept"])
    #expect(candidates(#"write $server 'it\' $"#) == [])
  }

  @Test func commentsAreWhereTheLexerEndsTheLine() {
    #expect(candidates("$x = 1; // cre") == [])
    // `#` not followed by a digit starts a comment even straight after a word.
    #expect(candidates("create AF_INET# SOCK_") == [])
    #expect(candidates("shutdown #1 SHUT_R") == ["SHUT_RD", "SHUT_RDWR"])
  }

  @Test func aByteTheLanguageLacksSpoilsOnlyItsOwnStatement() {
    // `!` is an operator now; a backquote is still a byte the language lacks.
    #expect(candidates("bind $server ` ") == [])
    #expect(candidates("frob`; acc") == ["accept"])
  }

  @Test func lessonsComeFromWhoeverMakesTheCompleter() {
    let (interpreter, _) = makeInterpreter()
    defer { interpreter.closeAll() }
    #expect(Completer(interpreter: interpreter).complete("lesson ").candidates == [])
    let withLessons = Completer(interpreter: interpreter, lessons: { ["reverse-server", "errors"] })
    #expect(withLessons.complete("lesson rev").candidates == ["reverse-server"])
  }

  @Test func theSessionItselfFeedsTheCompleter() {
    let (interpreter, _) = makeInterpreter()
    defer { interpreter.closeAll() }
    interpreter.run(line: "$sock = create inet stream; $gone = create inet stream; close $gone")
    let completion = Completer(interpreter: interpreter).complete("listen ")
    #expect(completion.candidates == ["#1", "$sock"])
    #expect(completion.start == 7)
  }
}

@Suite struct HistoryTests {
  @Test func theFileLivesUnderXDGStateHomeOrTheHomeFolder() {
    #expect(History.path(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/sockshell/history")
    #expect(History.path(environment: ["HOME": "/h"]) == "/h/.local/state/sockshell/history")
    // A relative XDG_STATE_HOME is invalid by the specification and ignored.
    #expect(
      History.path(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"])
        == "/h/.local/state/sockshell/history")
    #expect(History.path(environment: [:]) == nil)
  }

  @Test func blankLinesAndRepeatsAreNotStored() {
    #expect(History.shouldStore("bind $s 127.0.0.1 5353", after: nil))
    #expect(!History.shouldStore("   ", after: nil))
    #expect(!History.shouldStore("", after: "x"))
    #expect(!History.shouldStore("strerror 111", after: "strerror 111"))
    #expect(!History.shouldStore("strerror 111 ", after: "strerror 111"))
    #expect(History.shouldStore("strerror 110", after: "strerror 111"))
    #expect(History.entry("close $s  ") == "close $s")
  }
}
