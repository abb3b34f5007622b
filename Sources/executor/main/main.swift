import Executor

ExecutorProgram.main()
