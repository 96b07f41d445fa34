import Foundation
import Testing
@testable import SockShellKit

@Suite struct CommandTableTests {
  @Test func theReadmeReferenceIsTheGeneratedOne() throws {
    let readme = try String(
      contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let start = try #require(readme.range(of: "<!-- commands:start -->\n"))
    let end = try #require(readme.range(of: "<!-- commands:end -->"))
    #expect(
      String(readme[start.upperBound..<end.lowerBound]) == HelpText.markdownReference(.standard),
      "README.md is stale: paste the output of `sockshell --markdown-reference` between the markers")
  }

  @Test func everyNameFindsItsRowCaseInsensitively() {
    let table = CommandTable.standard
    for spec in table.commands {
      for name in [spec.name] + spec.aliases {
        #expect(table.lookup(name)?.name == spec.name)
        #expect(table.lookup(name.uppercased())?.name == spec.name)
      }
    }
  }

  @Test func everySocketCommandHasItsPHPNameAndDocumentation() {
    let socketFamilies: [CommandSpec.Family] = [.lifecycle, .data, .multiplexing, .errors, .options, .iovecs]
    for spec in CommandTable.standard.commands where socketFamilies.contains(spec.family) {
      #expect(spec.aliases.contains("socket_" + spec.name), "\(spec.name) lacks its socket_ name")
      #expect(spec.php != nil && !spec.summary.isEmpty, "\(spec.name) lacks documentation")
    }
  }

  @Test func helpForACommandShowsItsForms() {
    let text = HelpText.detail(CommandTable.standard.lookup("socket_accept")!)
    #expect(text.hasPrefix("accept HANDLE\n"))
    #expect(text.contains("C:         int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);"))
    #expect(text.contains("PHP:       socket_accept(Socket $socket): Socket|false"))
    #expect(text.contains("manual:    accept(2), read it with `man 2 accept`"))
    #expect(text.contains("call:      socket_accept(HANDLE)"))
    #expect(text.contains("state:     listening stays listening"))
    #expect(text.contains("    EAGAIN         a non-blocking socket with no connection waiting\n"))
  }

  /// The 35 functions of the table that ends the PHP tutorial (../shared/seed).
  static let tutorialFunctions = [
    "accept", "bind", "clear_error", "close", "connect", "create", "create_listen", "create_pair",
    "get_option",
    "getpeername", "getsockname", "iovec_add", "iovec_alloc", "iovec_delete", "iovec_fetch", "iovec_free",
    "iovec_set", "last_error", "listen", "read", "readv", "recv", "recvfrom", "recvmsg", "select", "send",
    "sendmsg", "sendto", "set_block", "set_nonblock", "set_option", "shutdown", "strerror", "write", "writev",
  ]

  @Test func everyFunctionOfTheTutorialsTableHasACommandAndHelp() {
    #expect(Self.tutorialFunctions.count == 35)
    for name in Self.tutorialFunctions {
      let spec = CommandTable.standard.lookup("socket_" + name)
      #expect(spec != nil, "socket_\(name) is not a command")
      guard let spec else { continue }
      #expect(spec.name == name || spec.aliases.contains(name), "socket_\(name) has no short name \(name)")
      let help = HelpText.detail(spec)
      #expect(help.contains("socket_" + name) && help.contains(spec.summary))
    }
  }

  @Test func everySocketCallExplainsItsStateAndErrors() {
    for spec in CommandTable.standard.commands where [.lifecycle, .data, .multiplexing].contains(spec.family)
    {
      #expect(spec.effect != nil, "\(spec.name) does not say what it does to the socket")
      #expect(!spec.errors.isEmpty, "\(spec.name) lists no errors")
      for error in spec.errors {
        #expect(Errno(name: error.name) != nil, "\(spec.name): \(error.name) is not an errno")
      }
    }
  }

  @Test func callFormsFollowTheSynopsis() {
    let table = CommandTable.standard
    #expect(table.lookup("bind")!.callForm == "socket_bind(HANDLE, ADDRESS [, PORT])")
    #expect(
      table.lookup("select")!.callForm == "socket_select(READ, WRITE, EXCEPT [, SECONDS] [, MICROSECONDS])")
    #expect(table.lookup("strrev")!.callForm == "strrev(STRING)")
    #expect(
      table.lookup("shutdown")!.argumentSlots == [.placeholder("HANDLE"), .placeholder("HOW")])
    #expect(
      table.lookup("read")!.argumentSlots == [
        .placeholder("HANDLE"), .placeholder("LENGTH"), .words(["PHP_BINARY_READ", "PHP_NORMAL_READ"]),
      ])
  }

  /// `help` explains the language's keywords too, each with its form and an example.
  @Test func helpExplainsEveryKeyword() {
    for word in LanguageHelp.words {
      let (interpreter, output) = makeInterpreter()
      interpreter.run(line: "help '\(word)'")
      #expect(output.messages == [], "help \(word): \(output.messages)")
      #expect(output.text.contains("Example: "), "help \(word): \(output.text)")
    }
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: "help foreach")
    #expect(output.text.hasPrefix("foreach (ARRAY as $value)"))
    interpreter.run(line: "help notakeyword")
    #expect(output.messages.last?.contains("help: no command named 'notakeyword'") == true)
  }
}
