else:
    x = 1
elif y:
    pass
except:
    pass
finally:
    pass
