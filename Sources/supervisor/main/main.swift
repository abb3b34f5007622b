import Supervisor

SupervisorProgram.main()
