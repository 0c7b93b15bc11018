"""vanban"""
