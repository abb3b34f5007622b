public enum KubeSim {}
