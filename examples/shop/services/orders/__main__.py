from examples.shop.services._engine import main
from examples.shop.services.orders import SPEC

main(SPEC)
