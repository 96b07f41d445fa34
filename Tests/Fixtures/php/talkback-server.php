#!/usr/bin/env php
<?php
// A line-based talkback server: each line a client sends comes back with "You said".
// "quit" ends one client's session, "shutdown" ends the server.
error_reporting(E_ALL);
set_time_limit(0);
ob_implicit_flush();

$address = '127.0.0.1';
$port = (int) $argv[1];

if (($listener = socket_create(AF_INET, SOCK_STREAM, SOL_TCP)) === false) {
    echo "socket_create() failed: " . socket_strerror(socket_last_error()) . "\n";
}
socket_set_option($listener, SOL_SOCKET, SO_REUSEADDR, 1);
if (socket_bind($listener, $address, $port) === false) {
    echo "socket_bind() failed: " . socket_strerror(socket_last_error($listener)) . "\n";
}
if (socket_listen($listener, 5) === false) {
    echo "socket_listen() failed: " . socket_strerror(socket_last_error($listener)) . "\n";
}
echo "listening on $address:$port\n";

do {
    if (($conn = socket_accept($listener)) === false) {
        echo "socket_accept() failed: " . socket_strerror(socket_last_error($listener)) . "\n";
        break;
    }
    $greeting = "\nTalkback server. \n" .
        "Type 'quit' to leave, 'shutdown' to stop the server.\n";
    socket_write($conn, $greeting, strlen($greeting));

    do {
        if (false === ($line = socket_read($conn, 2048, PHP_NORMAL_READ))) {
            echo "socket_read() failed: " . socket_strerror(socket_last_error($conn)) . "\n";
            break 2;
        }
        if (!$line = trim($line)) {
            continue;
        }
        if ($line == 'quit') {
            break;
        }
        if ($line == 'shutdown') {
            socket_close($conn);
            break 2;
        }
        $reply = "PHP: You said '$line'.\n";
        socket_write($conn, $reply, strlen($reply));
        echo "$line\n";
    } while (true);
    socket_close($conn);
} while (true);

socket_close($listener);
echo "server stopped\n";
?>
