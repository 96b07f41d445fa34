import Foundation

/// The ways in which a language's calls may differ from the session's, each explained, and the
/// lessons a language cannot export whole.
extension ExportStraceTests {
  static let differences: [Difference] = [
    Difference(
      languages: [.c, .python, .php],
      why: """
        Before it reads /etc/passwd or /etc/services, glibc asks the name service cache daemon over
        a Unix socket of its own (/var/run/nscd/socket; where no nscd runs, the connect fails with
        ENOENT). Python looks up the user's home directory that way at start-up when HOME is unset,
        as it is under CI. Those sockets are the C library's, not the program's: each one, from its
        socket() to its close(), is left out.
        """,
      sequence: { calls in
        var kept: [Call] = []
        var library: Set<String> = []
        for (index, call) in calls.enumerated() {
          let fd = call.arguments.first ?? ""
          if call.name == "socket", call.arguments.first == "AF_UNIX", index + 1 < calls.count {
            let next = calls[index + 1]
            if next.name == "connect", next.arguments.first == call.result,
              next.arguments.count > 1, next.arguments[1].contains("/nscd/socket\"")
            {
              library.insert(call.result)
              continue
            }
          }
          if library.contains(fd) {
            if call.name == "close" { library.remove(fd) }
            continue
          }
          kept.append(call)
        }
        return kept
      }),
    Difference(
      languages: [.c, .python, .php],
      why: """
        The echo names the libc function called (recv, send); glibc makes them as the recvfrom and
        sendto system calls with no address, which strace shows (Kernel+Datagrams.swift).
        """,
      apply: { call in
        var call = call
        if call.name == "recv" {
          call.name = "recvfrom"
          call.arguments += ["NULL", "NULL"]
        } else if call.name == "send" {
          call.name = "sendto"
          call.arguments += ["NULL", "0"]
        }
        return call
      }),
    Difference(
      languages: [.c, .python, .php],
      why: """
        The echo names the libc function called, select; glibc makes it as the pselect6 system
        call, with the timeout as a timespec (tv_nsec) and no signal mask, which strace shows.
        """,
      apply: { call in
        var call = call
        guard call.name == "pselect6", call.arguments.count == 6, call.arguments[5] == "NULL" else {
          return call
        }
        call.name = "select"
        call.arguments.removeLast()
        let timeout = call.arguments[4]
        // Whole microseconds only: any other timespec is no timeval and stays as it is.
        if let range = timeout.range(of: #"tv_nsec=[0-9]+\}$"#, options: .regularExpression),
          let nanoseconds = Int(timeout[range].dropFirst("tv_nsec=".count).dropLast()),
          nanoseconds % 1000 == 0
        {
          call.arguments[4] = timeout[..<range.lowerBound] + "tv_usec=\(nanoseconds / 1000)}"
        }
        return call
      }),
    Difference(
      languages: [.c, .python, .php],
      why: """
        The echo shows recvmsg's msg_namelen as the kernel left it (16); strace shows the length
        given as well when the two differ (128 => 16, for a sockaddr_storage, as sockshell gives).
        Only the length the kernel wrote back is compared.
        """,
      apply: { call in
        var call = call
        if call.name == "recvmsg", call.arguments.count > 1 {
          call.arguments[1] = call.arguments[1].replacing(
            #/msg_namelen=[0-9]+ => /#, with: "msg_namelen=")
        }
        return call
      }),
    Difference(
      languages: [.php],
      why: """
        socket_select hands the kernel an empty fd_set for a set given as null (strace: []), where
        sockshell and the other languages pass NULL; the kernel reads both as no descriptors.
        """,
      apply: { call in
        var call = call
        if call.name == "select" || call.name == "pselect6", call.arguments.count > 3 {
          for index in 1...3 where call.arguments[index] == "[]" { call.arguments[index] = "NULL" }
        }
        return call
      }),
    Difference(
      languages: [.python],
      why: """
        Python wraps each descriptor that accept() or socketpair() makes in a socket object, and
        CPython checks a descriptor it wraps with getsockname(2) (socket(fileno=...)): those
        calls, right after the call that made the sockets, are not the session's. (Before the next
        difference, which renames accept4.)
        """,
      sequence: { calls in
        var kept: [Call] = []
        var wrapped: Set<String> = []
        for call in calls {
          if call.name == "getsockname", !call.result.hasPrefix("-1"), let fd = call.arguments.first,
            wrapped.remove(fd) != nil
          {
            continue
          }
          wrapped = []
          if call.name == "accept4" && !call.result.hasPrefix("-1") { wrapped = [call.result] }
          // Only Python's own socketpair, which its SOCK_CLOEXEC marks (the next difference).
          if call.name == "socketpair" && call.result == "0", call.arguments[1].contains("SOCK_CLOEXEC"),
            let pair = call.arguments.last
          {
            wrapped = Set(
              pair.dropFirst().dropLast().split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
              })
          }
          kept.append(call)
        }
        return kept
      }),
    Difference(
      languages: [.python],
      why: """
        Python makes every socket close-on-exec: socket() and socketpair() get SOCK_CLOEXEC in
        their type, and accept() is accept4(..., SOCK_CLOEXEC).
        """,
      apply: { call in
        var call = call
        if call.name == "socket" || call.name == "socketpair", call.arguments.count > 1 {
          call.arguments[1] = call.arguments[1].replacingOccurrences(of: "|SOCK_CLOEXEC", with: "")
        }
        if call.name == "accept4", call.arguments.last == "SOCK_CLOEXEC" {
          call.name = "accept"
          call.arguments.removeLast()
        }
        return call
      }),
    Difference(
      languages: [.python, .php],
      why: """
        For the address a call gives back (accept, recvfrom), sockshell hands the kernel a
        sockaddr_storage (strace: [128 => 16]); Python and PHP hand one of the family's own size
        ([16]). Only the length the kernel wrote back is compared; when the call failed, the kernel
        wrote none back and the length given is left out ([SIZE]).
        """,
      apply: { call in
        var call = call
        let givesAddress = ["accept", "recvfrom", "getsockname", "getpeername"].contains(call.name)
        if givesAddress, call.result.hasPrefix("-1"), let last = call.arguments.last, last.hasPrefix("["),
          !last.contains("=>")
        {
          call.arguments[call.arguments.count - 1] = "[SIZE]"
        }
        call.arguments = call.arguments.map { argument in
          guard argument.hasPrefix("["), argument.hasSuffix("]"), let arrow = argument.range(of: " => ")
          else {
            return argument
          }
          return "[" + argument[arrow.upperBound...]
        }
        return call
      }),
    Difference(
      languages: [.php],
      why: """
        PHP has no read(2) on a socket: socket_read (PHP_BINARY_READ, as exported) reads with
        recv(2), strace's recvfrom(fd, buf, n, 0, NULL, NULL). A read is compared as that call.
        (PHP_NORMAL_READ would read byte by byte: export never uses it.)
        """,
      apply: { call in
        var call = call
        if call.name == "read" {
          call.name = "recvfrom"
          call.arguments += ["0", "NULL", "NULL"]
        }
        return call
      }),
  ]

  /// Lessons a language cannot export whole, and why: the comparison skips them for that language
  /// rather than pass over the calls it writes as comments.
  static let unexportable: [Language: [Int: String]] = [
    .php: [
      10: """
      PHP 8 has no readv or writev (socket_readv and socket_writev went with PHP 5.0), and its
      socket_recvmsg reads into one buffer with room for control data: the lesson's writev,
      readv and recvmsg stand as comments.
      """
    ]
  ]
}
