# A server and its client in one script: a function, a for loop, a while loop, do/while, if/else.
$server = create AF_INET SOCK_STREAM 0 or die("no socket\n")
bind $server 127.0.0.1 0
listen $server 3
getsockname($server, $host, $port)

# One exchange: the client writes and shuts down; the server reads to the end and answers.
function exchange($server, $host, $port, $message) {
  $client = create AF_INET SOCK_STREAM 0
  connect $client $host $port
  $spawn = accept $server
  write $client $message
  shutdown $client wr
  $input = ""
  while ($chunk = read($spawn, 4)) {
    $input .= $chunk
  }
  if (strlen($input) > 6) {
    write $spawn strtoupper($input)
  } else {
    write $spawn strrev($input)
  }
  $reply = read $client 1024
  close $spawn
  close $client
  return $reply
}

for ($i = 1; $i <= 3; $i++) {
  $reply = exchange($server, $host, $port, str_repeat("ab", $i) . $i)
  echo "$i: $reply\n"
}
$tries = 0
do {
  $tries++
} while ($tries < 2)
close $server

# Nothing listens on the port now: the connect is refused, and the script says so.
$late = create AF_INET SOCK_STREAM 0
if (connect($late, $host, $port) === false) {
  echo "refused after $tries tries: " . strerror(last_error($late)) . "\n"
}
close $late
