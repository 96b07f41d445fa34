import Foundation
import Glibc
import Testing

@testable import SockShellKit

/// The system functions: the name databases read from sample files, date's calendar, the
/// session's PHP settings, each through the interpreter, and what php-cli prints for the same.
@Suite struct SystemFunctionTests {
  // MARK: - Sample files

  static let hosts = """
    # The following lines are desirable for IPv4 capable hosts
    127.0.0.1\tlocalhost
    ::1     localhost ip6-localhost ip6-loopback   # IPv6 lines are not for gethostbyname
    fe00::0 ip6-localnet
    10.0.0.5   Server.Example.ORG   server  # first IPv4 line wins
    10.0.0.6   server   other
    010.0.0.7  leading-zero
    192.168.1.300 too-big
    192.168.1.9\r
    \t   \t
    #10.0.0.8 commented
    10.0.0.9 windows\r

    """

  static let services = """
    # Network services, Internet style
    tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer
    echo\t\t7/tcp
    echo\t\t7/udp
    discard\t\t9/tcp\t\tsink null
    http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP
    http-alt  80/tcp
    broken    80
    huge      70000/tcp
    noproto   81/
    domain\t\t53/tcp
    domain\t\t53/udp
    ssh  22/tcp # SSH Remote Login Protocol

    """

  static let protocols = """
    # Internet (IP) protocols
    ip\t0\tIP\t\t# internet protocol, pseudo protocol number
    hopopt\t0\tHOPOPT\t\t# IPv6 Hop-by-Hop Option [RFC1883]
    icmp\t1\tICMP\t\t# internet control message protocol
    tcp\t6\tTCP\t\t# transmission control protocol
    udp\t17\tUDP\t\t# user datagram protocol
    ipv6-icmp 58\tIPv6-ICMP\tICMP6
    bad x BAD

    """

  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  // MARK: - /etc/hosts

  @Test func theFirstIPv4LineNamingAHostWinsAndIPv6LinesAreSkipped() {
    let text = Self.bytes(Self.hosts)
    func look(_ name: String) -> String? { NameDatabase.hostAddress(of: Self.bytes(name), inHosts: text) }
    #expect(look("localhost") == "127.0.0.1")
    #expect(look("server") == "10.0.0.5")
    #expect(look("other") == "10.0.0.6")
    #expect(look("ip6-localhost") == nil)
    #expect(look("ip6-localnet") == nil)
    #expect(look("commented") == nil)
  }

  @Test func hostNamesCompareWithoutCaseAndTabsAndCRsSeparateFields() {
    let text = Self.bytes(Self.hosts)
    func look(_ name: String) -> String? { NameDatabase.hostAddress(of: Self.bytes(name), inHosts: text) }
    #expect(look("server.example.org") == "10.0.0.5")
    #expect(look("LOCALHOST") == "127.0.0.1")
    #expect(look("windows") == "10.0.0.9")
    #expect(look("serve") == nil)
  }

  @Test func hostLinesWithAnAddressInetPtonRefusesArePassedOver() {
    let text = Self.bytes(Self.hosts)
    #expect(NameDatabase.hostAddress(of: Self.bytes("leading-zero"), inHosts: text) == nil)
    #expect(NameDatabase.hostAddress(of: Self.bytes("too-big"), inHosts: text) == nil)
    #expect(NameDatabase.strictIPv4(Self.bytes("0.0.0.0")[...]) == 0)
    #expect(NameDatabase.strictIPv4(Self.bytes("255.255.255.255")[...]) == 0xffff_ffff)
    for bad in ["1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1..3.4", "a.b.c.d", "", "1.2.3.4 "] {
      #expect(NameDatabase.strictIPv4(Self.bytes(bad)[...]) == nil, "\(bad)")
    }
  }

  @Test func namesOfDigitsAndDotsAreReadAsInetAtonReadsThem() {
    func numeric(_ name: String) -> String? {
      NameDatabase.numericIPv4(Self.bytes(name)).map(NameDatabase.dottedQuad)
    }
    #expect(numeric("127.0.0.1") == "127.0.0.1")
    #expect(numeric("127.1") == "127.0.0.1")
    #expect(numeric("0127.0.0.1") == "87.0.0.1")
    #expect(numeric("4294967295") == "255.255.255.255")
    #expect(numeric("1.16777215") == "1.255.255.255")
    #expect(numeric("1.2.65535") == "1.2.255.255")
    #expect(numeric("0") == "0.0.0.0")
    for bad in [
      "256.1.1.1", "08.1.1.1", "1.2.3.4.", "1..2", "1.2.3.4.5", "4294967296", "1.16777216", "1.2.65536",
      "99999999999999999999999", "", ".1", "a1", "1a", "::1",
    ] {
      #expect(numeric(bad) == nil, "\(bad)")
    }
  }

  // MARK: - /etc/services and /etc/protocols

  @Test func aServiceIsFoundByItsNameOrAliasAndItsProtocolExactly() {
    let text = Self.bytes(Self.services)
    func port(_ name: String, _ proto: String) -> Int? {
      NameDatabase.servicePort(Self.bytes(name), protocol: Self.bytes(proto), inServices: text)
    }
    #expect(port("http", "tcp") == 80)
    #expect(port("www", "tcp") == 80)
    #expect(port("sink", "tcp") == 9)
    #expect(port("domain", "udp") == 53)
    #expect(port("ssh", "tcp") == 22)
    #expect(port("HTTP", "tcp") == nil)
    #expect(port("http", "TCP") == nil)
    #expect(port("http", "udp") == nil)
    #expect(port("http", "") == nil)
    #expect(port("WorldWideWeb", "tcp") == nil, "a comment is not an alias")
  }

  @Test func brokenServiceLinesArePassedOver() {
    let text = Self.bytes(Self.services)
    func port(_ name: String, _ proto: String) -> Int? {
      NameDatabase.servicePort(Self.bytes(name), protocol: Self.bytes(proto), inServices: text)
    }
    #expect(port("broken", "tcp") == nil)
    #expect(port("huge", "tcp") == nil)
    #expect(port("noproto", "") == nil)
  }

  @Test func aPortGivesItsFirstServicesCanonicalName() {
    let text = Self.bytes(Self.services)
    func name(_ port: UInt16, _ proto: String) -> String? {
      NameDatabase.serviceName(port: port, protocol: Self.bytes(proto), inServices: text).map {
        String(decoding: $0, as: UTF8.self)
      }
    }
    #expect(name(80, "tcp") == "http")
    #expect(name(7, "udp") == "echo")
    #expect(name(53, "udp") == "domain")
    #expect(name(80, "udp") == nil)
    #expect(name(4464, "tcp") == nil, "70000 is no port, not 70000 cut to 16 bits")
  }

  @Test func protocolsAreFoundByNameAliasAndNumber() {
    let text = Self.bytes(Self.protocols)
    func number(_ name: String) -> Int? { NameDatabase.protocolNumber(Self.bytes(name), inProtocols: text) }
    func name(_ number: Int32) -> String? {
      NameDatabase.protocolName(number, inProtocols: text).map { String(decoding: $0, as: UTF8.self) }
    }
    #expect(number("tcp") == 6)
    #expect(number("TCP") == 6)
    #expect(number("Tcp") == nil)
    #expect(number("ICMP6") == 58)
    #expect(number("ip") == 0)
    #expect(number("bad") == nil)
    #expect(name(6) == "tcp")
    #expect(name(0) == "ip", "the first line with the number wins")
    #expect(name(58) == "ipv6-icmp")
    #expect(name(-1) == nil)
  }

  // MARK: - date's calendar

  @Test func civilDatesRoundTripAcrossTheEras() {
    for days in stride(from: -1_000_000, through: 1_000_000, by: 997) {
      let (year, month, day) = DateFormat.CivilTime.civil(days: days)
      #expect(DateFormat.CivilTime.days(year: year, month: month, day: day) == days)
    }
    #expect(DateFormat.CivilTime.civil(days: 0) == (1970, 1, 1))
    #expect(DateFormat.CivilTime.civil(days: -719_528) == (0, 1, 1))
    #expect(DateFormat.CivilTime.civil(days: 11_016) == (2000, 2, 29))
  }

  @Test func theExtremeTimestampsHaveDatesAndNoTrap() {
    for timestamp in [Int.max, Int.min, Int.min + 1, -1, 0] {
      let text = DateFormat.format(
        Array("d D j l N S w z W F m M n t L o X x Y y a A B g G h H i s u v e I O P p T Z c r U".utf8),
        timestamp: timestamp, limit: 1 << 20)
      #expect(text != nil)
    }
    #expect(
      DateFormat.format(Array("Y-m-d H:i:s".utf8), timestamp: Int.max, limit: 100).map {
        String(decoding: $0, as: UTF8.self)
      } == "292277026596-12-04 15:30:07")
    #expect(
      DateFormat.format(Array("Y-m-d H:i:s".utf8), timestamp: Int.min, limit: 100).map {
        String(decoding: $0, as: UTF8.self)
      } == "-292277022657-01-27 08:29:52")
  }

  @Test func aFormatWhoseResultPassesTheLimitIsRefused() {
    #expect(
      DateFormat.format(Array(repeating: UInt8(ascii: "r"), count: 100), timestamp: 0, limit: 1000) == nil)
    #expect(
      DateFormat.format(Array(repeating: UInt8(ascii: "r"), count: 10), timestamp: 0, limit: 1000)?.count
        == 310)
  }

  @Test func isoWeeksAtTheTurnOfTheYear() {
    func week(_ timestamp: Int) -> String {
      String(
        decoding: DateFormat.format(Array("o-W N".utf8), timestamp: timestamp, limit: 100) ?? [],
        as: UTF8.self)
    }
    #expect(week(1_104_537_600) == "2004-53 6")  // Saturday 2005-01-01
    #expect(week(1_230_768_000) == "2009-01 4")  // Thursday 2009-01-01
    #expect(week(1_609_459_199) == "2020-53 4")  // Thursday 2020-12-31
    #expect(week(1_230_508_800) == "2009-01 1")  // Monday 2008-12-29
  }

  // MARK: - Settings

  @Test func atolReadsLikeC() {
    let cases: [(String, Int)] = [
      ("12abc", 12), (" 12", 12), ("\t-7", -7), ("+5", 5), ("0x10", 0), ("", 0), ("E_ALL", 0), ("1e3", 1),
      ("99999999999999999999", Int.max), ("-99999999999999999999", Int.min),
      ("-9223372036854775808", Int.min), ("9223372036854775807", Int.max),
    ]
    for (text, value) in cases { #expect(PHPSettings.atol(Array(text.utf8)) == value, "\(text)") }
  }

  @Test func theErrorLevelIsPHPsCIntAndItsIniValueFollowsOnlyAChange() {
    var settings = PHPSettings()
    #expect(settings.errorLevel == 32767)
    #expect(settings.value(of: Self.bytes("error_reporting")) == [])
    #expect(settings.setErrorLevel(32767) == 32767)
    #expect(settings.value(of: Self.bytes("error_reporting")) == [], "the same level changes nothing")
    #expect(settings.setErrorLevel(4_294_967_301) == 32767)
    #expect(settings.errorLevel == 5)
    #expect(settings.value(of: Self.bytes("error_reporting")) == Self.bytes("4294967301"))
    #expect(
      settings.set(Self.bytes("error_reporting"), to: Self.bytes("99999999999999999999"))
        == .success(Self.bytes("4294967301")))
    #expect(settings.errorLevel == -1)
    #expect(settings.set(Self.bytes("output_buffering"), to: Self.bytes("1")) == .failure(.fixedAtStartup))
    #expect(settings.set(Self.bytes("Display_Errors"), to: Self.bytes("1")) == .failure(.unknown))
  }

  // MARK: - Through the interpreter

  /// A session whose name databases are the sample files, in a folder of the test's own; the
  /// script watchdog is off, so ini_set("max_execution_time") arms no alarm in the test process.
  final class Session {
    let interpreter: Interpreter
    let output: RecordingOutput
    let folder: String

    init(hosts: String = SystemFunctionTests.hosts) throws {
      folder = NSTemporaryDirectory() + "sockshell-system-\(getpid())-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try hosts.write(toFile: folder + "/hosts", atomically: true, encoding: .utf8)
      try SystemFunctionTests.services.write(toFile: folder + "/services", atomically: true, encoding: .utf8)
      try SystemFunctionTests.protocols.write(
        toFile: folder + "/protocols", atomically: true, encoding: .utf8)
      output = RecordingOutput()
      var settings = Interpreter.Settings()
      settings.scriptWatchdog = false
      interpreter = Interpreter(table: .standard, output: output, settings: settings)
      interpreter.nameFiles = NameDatabase.Files(
        hosts: folder + "/hosts", services: folder + "/services", protocols: folder + "/protocols")
    }

    /// What the lines printed; fails the test on a sockshell error (hints are fine).
    func run(_ lines: [String]) -> String {
      output.clear()
      runLines(interpreter, output, lines)
      return output.text
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }
  }

  @Test func bareCallsShowTheirValueAndMakeNoSystemCall() throws {
    let session = try Session()
    let text = session.run([
      #"gethostbyname("server")"#, #"getservbyname("www", "tcp")"#, #"getservbyport(65616, "tcp")"#,
      #"getprotobyname("udp")"#, "getprotobynumber(4294967302)", #"date("Y-m-d", 0)"#,
      #"getservbyname("nothing", "tcp")"#, "ob_implicit_flush()",
    ])
    #expect(
      text == """
        => "10.0.0.5"
        => 80
        => "http"
        => 17
        => "tcp"
        => "1970-01-01"
        => false

        """)
    #expect(session.output.echoes == [])
  }

  @Test func gethostbynameGivesTheNameBackWhenItIsNotFound() throws {
    let session = try Session()
    let text = session.run([
      #"echo gethostbyname("nowhere.invalid"), "|", gethostbyname("127.1"), "|", gethostbyname("256.1.1.1"), "\n""#,
      #"echo gethostbyname("SERVER.example.org"), "|", gethostbyname("ip6-localhost"), "|", gethostbyname(""), "\n""#,
    ])
    #expect(text == "nowhere.invalid|127.0.0.1|256.1.1.1\n10.0.0.5|ip6-localhost|\n")
  }

  @Test func localhostIsLoopbackEvenWhenTheHostsFileForgetsIt() throws {
    let session = try Session(hosts: "10.1.1.1 elsewhere\n")
    #expect(
      session.run([#"echo gethostbyname("localhost"), gethostbyname("LocalHost"), "\n""#])
        == "127.0.0.1127.0.0.1\n")
    let mapped = try Session(hosts: "127.0.1.1 localhost\n")
    #expect(
      mapped.run([#"echo gethostbyname("localhost"), "\n""#]) == "127.0.1.1\n", "the file's answer wins")
  }

  @Test func aHostNameLongerThanPHPAllowsIsWarnedAboutAndGivenBack() throws {
    let session = try Session()
    session.output.clear()
    session.interpreter.run(line: #"$n = str_repeat("a", 256); echo strlen(gethostbyname($n)), "\n""#)
    #expect(session.output.text == "256\n")
    #expect(
      session.output.messages == [
        "sockshell: warning: gethostbyname(): Host name cannot be longer than 255 characters"
      ])
  }

  @Test func aNulByteInANameIsRefusedAsPHPRefusesIt() throws {
    let session = try Session()
    for line in [
      #"gethostbyname("local\0host")"#, #"getservbyname("http", "tcp\0x")"#, #"getprotobyname("tcp\0")"#,
    ] {
      session.output.clear()
      session.interpreter.run(line: line)
      #expect(session.output.messages.count == 1)
      #expect(session.output.messages.first?.contains("must not contain a NUL byte") == true, "\(line)")
    }
  }

  @Test func aDatabaseThatIsAFIFOOrADeviceIsNotReadAndNothingHangs() throws {
    let session = try Session()
    let fifo = session.folder + "/fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    session.interpreter.nameFiles = NameDatabase.Files(
      hosts: fifo, services: "/dev/zero", protocols: session.folder + "/none")
    session.output.clear()
    session.interpreter.run(
      line:
        #"echo gethostbyname("server"), "|", getservbyname("http", "tcp"), "|", getprotobyname("tcp"), "\n""#)
    #expect(session.output.text == "server||\n")
    let messages = session.output.messages
    #expect(messages.count == 3, "\(messages)")
    #expect(messages.contains { $0.contains("\(fifo) is a FIFO, not a regular file") })
    #expect(messages.contains { $0.contains("/dev/zero is a character device, not a regular file") })
    #expect(messages.contains { $0.hasPrefix("hint: ") && $0.contains("/none does not exist") })
  }

  @Test func aDatabaseLargerThanTheLimitIsNotRead() throws {
    let session = try Session()
    let big = session.folder + "/big"
    let line = "http 80/tcp\n"
    try String(repeating: line, count: NameDatabase.sizeLimit / line.utf8.count + 1).write(
      toFile: big, atomically: true, encoding: .utf8)
    session.interpreter.nameFiles.services = big
    session.output.clear()
    session.interpreter.run(line: #"echo getservbyname("http", "tcp"), "\n""#)
    #expect(session.output.text == "\n")
    #expect(session.output.messages.first?.contains("more than the \(NameDatabase.sizeLimit) read") == true)
  }

  @Test func theTimeFunctionsHavePHPsShapes() throws {
    let (interpreter, output) = makeInterpreter()
    let before = Int(Glibc.time(nil))
    runLines(
      interpreter, output,
      [
        "$t = time()", "$m = microtime()", "$f = microtime(true)", "$h = hrtime()", "$n = hrtime(true)",
        "$d = date(\"U\")",
      ])
    // glibc's time(2) reads the coarse clock, which may lag a tick behind the precise one the
    // functions read: at a second's turn it can still say the second before.
    let after = Int(Glibc.time(nil)) + 1
    guard case .int(let t)? = interpreter.variables["t"] else { Issue.record("time() is not an int"); return }
    #expect((before...after).contains(t))
    guard case .bytes(let m)? = interpreter.variables["m"] else {
      Issue.record("microtime() is not a string"); return
    }
    let parts = String(decoding: m, as: UTF8.self).split(separator: " ")
    #expect(parts.count == 2)
    #expect(
      parts.first?.count == 10 && parts.first?.hasPrefix("0.") == true && parts.first?.hasSuffix("00") == true
    )
    #expect(parts.last.flatMap { Int($0) }.map { (before...after).contains($0) } == true)
    guard case .double(let f)? = interpreter.variables["f"] else {
      Issue.record("microtime(true) is not a float"); return
    }
    #expect(f >= Double(before) && f < Double(after + 1))
    guard case .array(let array)? = interpreter.variables["h"], case let h = array.values, h.count == 2, case .int(let seconds) = h[0],
      case .int(let nanoseconds) = h[1], case .int(let n)? = interpreter.variables["n"]
    else { Issue.record("hrtime's values have the wrong shape"); return }
    #expect((0..<1_000_000_000).contains(nanoseconds))
    #expect(n >= seconds * 1_000_000_000 + nanoseconds, "a monotonic clock does not go back")
    guard case .bytes(let d)? = interpreter.variables["d"], let u = Int(String(decoding: d, as: UTF8.self))
    else {
      Issue.record("date(\"U\") is not a number"); return
    }
    #expect((before...after).contains(u))
  }

  @Test func dateTakesAHugeFormatAndRefusesAResultPastTheStringLimit() throws {
    let (interpreter, output) = makeInterpreter()
    interpreter.run(line: #"$a = date(str_repeat("A", 100000), 0); echo strlen($a), "\n""#)
    #expect(output.text == "200000\n")
    #expect(output.messages == [])
    output.clear()
    interpreter.run(line: #"$b = date(str_repeat("r", 600000), 0)"#)
    #expect(output.messages.count == 1)
    #expect(
      output.messages.first?.contains("date: the result would exceed \(Value.maximumStringLength) bytes")
        == true)
    #expect(interpreter.variables["b"] == nil)
    output.clear()
    interpreter.run(line: #"date("Y", "x")"#)
    #expect(output.messages.first?.contains("the timestamp must be a number") == true)
  }

  @Test func errorReportingAndIniSettingsAreKeptForTheSession() throws {
    let session = try Session()
    let text = session.run([
      "error_reporting()", "error_reporting(0)", "error_reporting()", #"ini_get("error_reporting")"#,
      #"ini_set("error_reporting", "12abc")"#, "error_reporting(E_ALL)", #"ini_set("display_errors", false)"#,
      #"ini_get("display_errors")"#, #"ini_set("max_execution_time", "30")"#, "set_time_limit(7)",
      #"ini_get("max_execution_time")"#, #"ini_set("output_buffering", "4096")"#,
      #"ini_get("output_buffering")"#,
    ])
    #expect(
      text == """
        => 32767
        => 32767
        => 0
        => "0"
        => "0"
        => 12
        => "1"
        => ""
        => "0"
        => "7"
        => false
        => "0"

        """)
    let hint = session.run([#"ini_get("memory_limit")"#])
    #expect(hint == "=> false\n")
    #expect(
      session.output.messages.first?.hasPrefix(#"hint: sockshell knows no setting "memory_limit""#) == true)
    // A second session starts from the defaults.
    let other = try Session()
    #expect(other.run(["error_reporting()"]) == "=> 32767\n")
  }

  @Test func phpsConstantsAreThere() {
    let (interpreter, output) = makeInterpreter()
    runLines(
      interpreter, output,
      [
        #"echo E_ALL, " ", E_ERROR, " ", E_WARNING, " ", E_NOTICE, " ", E_STRICT, " ", E_DEPRECATED, "\n""#,
        #"echo PHP_INT_MAX, " ", PHP_INT_MIN, " ", PHP_INT_SIZE, " ", PHP_OS, " ", SOMAXCONN, PHP_EOL"#,
        #"echo PHP_VERSION, " ", PHP_VERSION_ID, " ", PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION, "\n""#,
      ])
    #expect(
      output.text == """
        32767 1 2 8 2048 8192
        9223372036854775807 -9223372036854775808 8 Linux \(SOMAXCONN)
        8.2.0-sockshell 80200 8.2

        """)
  }

  // MARK: - Against php-cli

  static let php = Paths.which("php")

  /// What php-cli prints for these statements, with PHP's built-in settings (`-n`: no php.ini,
  /// whose error_reporting and display_errors a distribution changes) and the sockets extension,
  /// which -n would leave out with the rest of conf.d (SOMAXCONN is its constant).
  static func phpOutput(_ statements: [String]) throws -> String {
    let code = statements.joined(separator: ";\n") + ";"
    let result = try runProcess(php ?? "php", ["-n", "-d", "extension=sockets", "-r", code])
    #expect(result.status == 0, "php failed: \(result.stderr)")
    return result.stdout
  }

  /// What sockshell prints for the same statements, each a line of a session.
  static func sockshellOutput(_ statements: [String]) -> String {
    var settings = Interpreter.Settings()
    settings.scriptWatchdog = false
    let output = RecordingOutput()
    let interpreter = Interpreter(table: .standard, output: output, settings: settings)
    runLines(interpreter, output, statements)
    return output.text
  }

  /// /etc/hosts names localhost with an IPv4 address, so php finds it there and sends no DNS
  /// query; elsewhere php's answer would come from the network, which a test must not ask.
  static var hostsNameLocalhost: Bool {
    guard case .success(let text) = NameDatabase.read("/etc/hosts") else { return false }
    return NameDatabase.hostAddress(of: Array("localhost".utf8), inHosts: text) != nil
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed"))
  func phpAgreesOnTheNameLookups() throws {
    var statements = [
      #"echo gethostbyname('127.1'), '|', gethostbyname('0127.0.0.1'), '|', gethostbyname('4294967295'), '|', gethostbyname('256.1.1.1'), "\n""#,
      #"echo getservbyname('http', 'tcp'), '|', getservbyname('www', 'tcp'), '|', getservbyname('HTTP', 'tcp'), '|', getservbyname('domain', 'udp'), '|', getservbyname('http', ''), "\n""#,
      #"echo getservbyport(80, 'tcp'), '|', getservbyport(65616, 'tcp'), '|', getservbyport(22, 'tcp'), '|', getservbyport(80, ''), "\n""#,
      #"echo getprotobyname('tcp'), '|', getprotobyname('TCP'), '|', getprotobyname('Tcp'), '|', getprotobyname('udp'), '|', getprotobyname('ip'), "\n""#,
      #"echo getprotobynumber(6), '|', getprotobynumber(4294967313), '|', getprotobynumber(-1), '|', getprotobynumber(0), "\n""#,
    ]
    if Self.hostsNameLocalhost {
      statements.append(#"echo gethostbyname('localhost'), '|', gethostbyname('LOCALHOST'), "\n""#)
    }
    #expect(Self.sockshellOutput(statements) == (try Self.phpOutput(statements)))
  }

  /// Timestamps around the edges of date's calendar: the epoch and the second before it, leap
  /// days, ISO weeks that belong to the year before or after, year 1, year 0, year -1, year
  /// 10000 and the ends of PHP_INT.
  static let timestamps = [
    "0", "31536000", "-1", "1700000000", "951782400", "1104537600", "1230768000", "1230508800",
    "-62135596800",
    "-62167219200", "-62167219201", "253402300800", "PHP_INT_MAX", "PHP_INT_MIN", "4102444800", "1609459199",
    "1609459200", "1000000000", "1234567890", "2147483647", "-2147483648", "43200", "46800", "3599", "86399",
    "-86400", "1111111111", "1320000000",
  ]

  @Test(.enabled(if: php != nil, "php-cli is not installed"))
  func phpAgreesOnEveryDateFormatCharacter() throws {
    let characters = "d D j l N S w z W F m M n t L o X x Y y a A B g G h H i s u v e I O P p T Z c r U"
    let format = characters.split(separator: " ").joined(separator: "|")
    var statements = [#"echo date('Y-m-d H:i:s D N', 31536000), "\n""#]
    for timestamp in Self.timestamps {
      statements.append(#"echo date('\#(format)', \#(timestamp)), "\n""#)
    }
    // Escapes, characters that stand for themselves, and a backslash at the end (a NUL byte).
    statements.append(#"echo date("\\Y\\\\Y \\d\\a\\y: l Q k! \\", 1700000000), "\n""#)
    statements.append(#"echo date('jS', 1700000000), date('jS', 946684800), "\n""#)
    for day in [
      "978307200", "978393600", "978480000", "979084800", "979171200", "979257600", "979776000", "979862400",
      "979948800", "980899200",
    ] {
      statements.append(#"echo date('jS ', \#(day))"#)
    }
    #expect(Self.sockshellOutput(statements) == (try Self.phpOutput(statements)))
  }

  @Test(.enabled(if: php != nil, "php-cli is not installed"))
  func phpAgreesOnErrorReportingAndIniSequences() throws {
    let statements = [
      #"echo error_reporting(), '|', ini_get('error_reporting'), "\n""#,
      #"echo error_reporting(0), '|', error_reporting(), '|', ini_get('error_reporting'), "\n""#,
      #"echo error_reporting(null), '|', error_reporting(E_ALL), '|', error_reporting(E_ALL), '|', ini_get('error_reporting'), "\n""#,
      #"echo ini_set('error_reporting', '12abc'), '|', error_reporting(), "\n""#,
      #"echo ini_set('error_reporting', '99999999999999999999'), '|', error_reporting(), "\n""#,
      #"echo ini_set('error_reporting', 'E_ALL'), '|', error_reporting(), "\n""#,
      #"echo error_reporting(4294967301), '|', error_reporting(), '|', ini_get('error_reporting'), "\n""#,
      #"echo error_reporting(PHP_INT_MAX), '|', error_reporting(-1), '|', ini_get('error_reporting'), "\n""#,
      #"echo error_reporting(E_ERROR | E_WARNING | E_STRICT), '|', error_reporting(), "\n""#,
      #"echo ini_get('display_errors'), '|', ini_set('display_errors', '0'), '|', ini_get('display_errors'), "\n""#,
      #"echo ini_set('display_errors', true), '|', ini_set('display_errors', false), '|', ini_set('display_errors', 7), '|', ini_set('display_errors', null), '|', ini_get('display_errors'), "\n""#,
      #"echo ini_get('default_socket_timeout'), '|', ini_set('default_socket_timeout', 5), '|', ini_get('default_socket_timeout'), "\n""#,
      #"echo ini_get('max_execution_time'), '|', ini_set('max_execution_time', '0'), '|', ini_get('implicit_flush'), '|', ini_get('output_buffering'), "\n""#,
      #"echo '[', ini_set('output_buffering', '4096'), '|', ini_get('output_buffering'), '|', ini_set('DISPLAY_ERRORS', '1'), ']', "\n""#,
      #"echo ini_get('display_startup_errors'), '|', ini_get('log_errors'), '|', ini_get('html_errors'), "\n""#,
      #"echo '[', ob_implicit_flush(), ob_implicit_flush(false), ob_implicit_flush(true), ']', "\n""#,
      #"echo E_ALL, '|', E_ERROR, '|', E_WARNING, '|', E_PARSE, '|', E_NOTICE, '|', E_STRICT, '|', E_DEPRECATED, '|', E_USER_DEPRECATED, '|', E_RECOVERABLE_ERROR, "\n""#,
      #"echo PHP_INT_MAX, '|', PHP_INT_MIN, '|', PHP_INT_SIZE, '|', PHP_OS, '|', PHP_OS_FAMILY, '|', SOMAXCONN, PHP_EOL"#,
    ]
    #expect(Self.sockshellOutput(statements) == (try Self.phpOutput(statements)))
  }
}
