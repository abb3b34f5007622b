import GC

GCProgram.main()
