for ($i = 1; $i <= 4; $i++) {
  echo 10 / $i
  echo "\n"
}
echo 0.1 + 0.2
echo "\n"
