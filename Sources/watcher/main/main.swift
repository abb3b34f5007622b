import Watcher

WatcherProgram.main()
