<?php
// A one-shot HTTP client: it connects, sends a HEAD request, prints the status line of the
// reply and the names of its headers, and closes. The port is the first argument (the web
// service's own port, from /etc/services, is shown beside it).
error_reporting(E_ALL);

echo "<h2>TCP/IP Connection</h2>\n";

$service_port = getservbyname('www', 'tcp');
$port = isset($argv[1]) ? (int) $argv[1] : $service_port;
echo "The www service is port $service_port; this server listens on another.\n";

$address = gethostbyname('localhost');

$socket = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
if ($socket === false) {
    echo "socket_create() failed: reason: " . socket_strerror(socket_last_error()) . "\n";
} else {
    echo "OK.\n";
}

echo "Attempting to connect to '$address'...";
$result = socket_connect($socket, $address, $port);
if ($result === false) {
    echo "socket_connect() failed.\nReason: ($result) " . socket_strerror(socket_last_error($socket)) . "\n";
} else {
    echo "OK.\n";
}

$in = "HEAD / HTTP/1.1\r\n";
$in .= "Host: localhost\r\n";
$in .= "Connection: Close\r\n\r\n";
$out = '';

echo "Sending HTTP HEAD request...";
socket_write($socket, $in, strlen($in));
echo "OK.\n";

echo "Reading response:\n\n";
$reply = '';
while ($out = socket_read($socket, 2048)) {
    $reply .= $out;
}
$lines = explode("\r\n", trim($reply));
echo $lines[0], "\n";
$names = [];
foreach ($lines as $number => $line) {
    if ($number === 0) {
        continue;
    }
    $colon = strpos($line, ':');
    if ($colon !== false) {
        $names[] = strtolower(substr($line, 0, $colon));
    }
}
echo "headers: ", implode(', ', $names), "\n";
echo "Closing socket...";
socket_close($socket);
echo "OK.\n\n";
?>
