$k = 3
while ($k-- > 0) { echo "$k " }
$w = 0
while (++$w < 3) { echo "w$w " }
echo "$k $w\n"
