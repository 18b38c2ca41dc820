set terminal pngcairo size 900,560 font ',10'
set output 'latency.png'
set title 'Rollup latency p50 (1 client) against data size'
set logscale xy
set xlabel 'reports'
set ylabel 'p50 ms'
set format x '%.0s%c'
set grid
set key outside right
set datafile missing 'NaN'
plot 'latency.dat' using 1:2 with linespoints lw 2 pt 4 title '(a) API, after a change', \
     'latency.dat' using 1:3 with linespoints lw 2 pt 5 title '(b) API, after a change', \
     'latency.dat' using 1:4 with linespoints lw 2 pt 6 title '(c) API, after a change', \
     'latency.dat' using 1:5 with linespoints lw 2 pt 7 dt 2 title '(a) plain SQL', \
     'latency.dat' using 1:6 with linespoints lw 2 pt 8 dt 2 title '(b) plain SQL', \
     'latency.dat' using 1:7 with linespoints lw 2 pt 9 dt 2 title '(c) plain SQL', \
     'latency.dat' using 1:8 with linespoints lw 2 pt 10 title 'empty endpoint'
