import Foundation
import KubeJSON
import Shared

// supervisor-bench: starts the real tree (supervisor, watcher, 2 executors, gc) from the
// directory holding this program, then prints
//   1. the idle footprint: each process's PSS from /proc/PID/smaps_rollup, and the sum;
//   2. the broker round trip (client → broker → executor → broker → client) at a paced rate.
// Usage: supervisor-bench [rate per second, default 10000] [seconds, default 3]

let arguments = CommandLine.arguments
if arguments.contains("--help") || arguments.contains("-h") {
    print("usage: supervisor-bench [rate per second, default 10000] [seconds, default 3]")
    exit(0)
}
let rate = arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000
let seconds = arguments.count > 2 ? Double(arguments[2]) ?? 3 : 3
let tree = try BenchTree.start()
defer { tree.stop() }
Thread.sleep(forTimeInterval: 3)  // let start-up allocations settle: we measure the idle tree
let footprint = Footprint.measure(root: tree.process.pid)
footprint.print()
let before = footprint.processes.map { CPUTime.microseconds($0.pid) }
let latencies = try RoundTrip.run(socket: tree.socket, rate: rate, seconds: seconds)
latencies.print(rate: rate)
// CPU per command does not depend on how loaded the machine is, unlike latency.
print("CPU per command (user + system), load average \(LoadAverage.read()):")
for (index, process) in footprint.processes.enumerated() {
    let used = CPUTime.microseconds(process.pid) - before[index]
    print(
        "  \(process.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%6.1f", used / Double(latencies.sent))) µs"
    )
}
